// Public surface of the engine: pure functions of (state, now).
export * from './types.js';
export { plan } from './plan.js';
export { applyRepairs, fieldValue } from './apply.js';
export { beforesHold } from './apply.js';
export { formatInstant, parseInstant, compareBytes, parseDurationMs } from './values.js';
export { sameChanges } from './decisions.js';
export {
  REPAIR_KINDS,
  KIND_ORDER,
  isDestructive,
  effectCounts,
  breakdown,
  type RepairEffect,
  type RepairKindFacts,
} from './repair-kinds.js';
