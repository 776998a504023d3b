// The plan's bead details as the console's thread holds them. Deserialized, a detail is a plain object of 24 fields:
// 4 in the object and the rest in a property store of their own, 240 bytes a detail plus an empty array of live work
// each, held from the first read's landing on, which is one of the two tops of the console's memory. Here its 11
// flags are one number, read through getters, and its 13 other fields sit in the object; an empty list of live work
// is one array for all. Its JSON is the plain record's, key for key. At 100 000 beads (72 000 details) the console's
// live heap is about 10 MB smaller (docs/speed.md).
import type { BeadInfo, TemplateSource } from '../../engine/types.js';

/**
 * A detail's 11 flags as one number, in BeadInfo's order: what the console keeps of them, and what the plan worker's
 * memo prints (plan-print.ts). Each read by name: a loop over their names reads them by key, slower as the console's
 * thread unpacks.
 */
export function flagBits(a: BeadInfo): number {
  return (
    (a.poolManaged ? 1 : 0) |
    (a.named ? 2 : 0) |
    (a.live ? 4 : 0) |
    (a.knownState ? 8 : 0) |
    (a.mismatchedAlias ? 16 : 0) |
    (a.outOfBounds ? 32 : 0) |
    (a.inFlight ? 64 : 0) |
    (a.stale ? 128 : 0) |
    (a.deferredRollback ? 256 : 0) |
    (a.stalePoolSlot ? 512 : 0) |
    (a.templateBackfill ? 1024 : 0)
  );
}

const NO_WORK: string[] = Object.freeze([]) as unknown as string[];

class SlimBeadInfo implements BeadInfo {
  id: string;
  template: string | null;
  templateSource: TemplateSource | null;
  bits: number;
  agentSlot: number;
  aliasSlot: number;
  sessionNameSlot: number;
  ownedSlot: number;
  slotReason: string;
  identity: string | null;
  duplicateOf: string | null;
  incumbentReason: string | null;
  aliasConflictHolder: string | null;
  liveWork: string[];

  constructor(a: BeadInfo) {
    this.id = a.id;
    this.template = a.template;
    this.templateSource = a.templateSource;
    this.bits = flagBits(a);
    this.agentSlot = a.agentSlot;
    this.aliasSlot = a.aliasSlot;
    this.sessionNameSlot = a.sessionNameSlot;
    this.ownedSlot = a.ownedSlot;
    this.slotReason = a.slotReason;
    this.identity = a.identity;
    this.duplicateOf = a.duplicateOf;
    this.incumbentReason = a.incumbentReason;
    this.aliasConflictHolder = a.aliasConflictHolder;
    this.liveWork = a.liveWork.length === 0 ? NO_WORK : a.liveWork;
  }

  get poolManaged(): boolean {
    return (this.bits & 1) !== 0;
  }
  get named(): boolean {
    return (this.bits & 2) !== 0;
  }
  get live(): boolean {
    return (this.bits & 4) !== 0;
  }
  get knownState(): boolean {
    return (this.bits & 8) !== 0;
  }
  get mismatchedAlias(): boolean {
    return (this.bits & 16) !== 0;
  }
  get outOfBounds(): boolean {
    return (this.bits & 32) !== 0;
  }
  get inFlight(): boolean {
    return (this.bits & 64) !== 0;
  }
  get stale(): boolean {
    return (this.bits & 128) !== 0;
  }
  get deferredRollback(): boolean {
    return (this.bits & 256) !== 0;
  }
  get stalePoolSlot(): boolean {
    return (this.bits & 512) !== 0;
  }
  get templateBackfill(): boolean {
    return (this.bits & 1024) !== 0;
  }

  /** The plain record, its keys in BeadInfo's order (the engine's). */
  toJSON(): BeadInfo {
    return {
      id: this.id,
      template: this.template,
      templateSource: this.templateSource,
      poolManaged: this.poolManaged,
      named: this.named,
      live: this.live,
      knownState: this.knownState,
      agentSlot: this.agentSlot,
      aliasSlot: this.aliasSlot,
      sessionNameSlot: this.sessionNameSlot,
      ownedSlot: this.ownedSlot,
      slotReason: this.slotReason,
      identity: this.identity,
      duplicateOf: this.duplicateOf,
      incumbentReason: this.incumbentReason,
      mismatchedAlias: this.mismatchedAlias,
      aliasConflictHolder: this.aliasConflictHolder,
      outOfBounds: this.outOfBounds,
      inFlight: this.inFlight,
      stale: this.stale,
      deferredRollback: this.deferredRollback,
      stalePoolSlot: this.stalePoolSlot,
      templateBackfill: this.templateBackfill,
      liveWork: this.liveWork,
    };
  }
}

/** A deserialized bead detail as the console keeps it (same fields, same JSON). */
export function slimBeadInfo(x: unknown): unknown {
  return new SlimBeadInfo(x as BeadInfo);
}

/** How the console's thread keeps the entries of a collection it unpacks (chunked-clone.ts PackMemo): the bead details slim. */
export function consoleEntries(collection: string): ((x: unknown) => unknown) | undefined {
  return collection === 'detail.beads' ? slimBeadInfo : undefined;
}
