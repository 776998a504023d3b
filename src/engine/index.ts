// Public surface of the engine: pure functions of (state, now).
export * from './types.js';
export { plan, type PlanOptions } from './plan.js';
export type { PlanArrays } from './plan-arrays.js';
export { placedPool, sameSlotEntries, slotPlaces, type SlotPlaces } from './slot-places.js';
export {
  DEFAULT_EDITION,
  EDITIONS,
  EDITION_RULES,
  NO_MARKER,
  detectEdition,
  editionRules,
  isEdition,
  type DetectedEdition,
  type Edition,
  type EditionRules,
} from './editions.js';
export {
  beadBriefs,
  beadDetail,
  beadDetailParts,
  eachBeadFacts,
  type BeadBrief,
  type BeadFacts,
  type DetailIds,
  type DetailInputs,
  type InputSink,
} from './detail.js';
export { applyRepairs, fieldValue } from './apply.js';
export { beforesHold } from './apply.js';
export { formatInstant, parseInstant, parseInstantNs, compareBytes, sortByBytes, parseDurationMs, diffSymbol } from './values.js';
export { CONFLICT_AT, conflictStamp, withConflictStamp } from './values.js';
export { sameChanges, withoutAges } from './decisions.js';
export {
  REPAIR_KINDS,
  KIND_ORDER,
  isDestructive,
  effectCounts,
  breakdown,
  type RepairEffect,
  type RepairKindFacts,
} from './repair-kinds.js';
export { DEFAULT_PATROL_MS, patrolIntervalMs, nextPlanChange } from './patrol.js';
