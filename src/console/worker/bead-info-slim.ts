// The plan's bead details as the console's thread holds them. Deserialized, a detail is a plain object of 24 fields:
// 4 in the object and the rest in a property store of their own, 240 bytes a detail plus an empty array of live work
// each, held from the first read's landing on, which is one of the two tops of the console's memory. Here its 11
// flags and its template source are one number, read through getters; its slot reason a shape shared with other
// details and filled in when read; the 4 fields few details have one record apart; an empty list of live work one
// array for all. Its JSON is the plain record's, key for key. At 100 000 beads (72 000 details) the console's live
// heap is about 20 MB smaller than with the plain records (docs/speed.md).
import type { BeadInfo, TemplateSource } from '../../engine/types.js';
import type { EntryForm } from './chunked-clone.js';
import { keptBead } from './bead-shapes.js';

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

/** A detail's template source in the bits above its flags: 0 none, 1–4 these, 7 another (kept in its rare fields). */
const SOURCES: readonly (TemplateSource | null)[] = [null, 'template', 'agent_name', 'label', 'alias'];
const SOURCE_SHIFT = 11;
const OTHER_SOURCE = 7;

/**
 * The fields few details have (a refused duplicate and its incumbent, an alias conflict, live work), kept apart: at
 * 100 000 beads 6 300 of 72 000 details have any of them.
 */
interface Rare {
  templateSource?: TemplateSource | null;
  duplicateOf: string | null;
  incumbentReason: string | null;
  aliasConflictHolder: string | null;
  liveWork: string[];
}

/**
 * A slot reason kept as a shape shared by many details: its text with the detail's identity and slot numbers taken
 * out, put back when read. `pool_slot 1853 is unchecked on an unbounded pool; agent identity "frontend/worker-1853"
 * names slot 1853` is one of a handful of shapes at 100 000 beads, where the texts were 71 000 strings, about 8 MB.
 * A shape's parts are its texts, and in between a number saying what goes there (IDENTITY or one of the slots).
 */
type Shape = readonly (string | number)[];
const IDENTITY = 0;
/** The owned slot; the agent slot and the alias slot follow (OWNED + their place in takeApart's list). */
const OWNED = 1;
const AGENT = 2;
/** Shapes kept at most: past it (reasons that differ in more than the identity and the slots), the text is kept. */
const MAX_SHAPES = 1024;
const shapes: Shape[] = [];
const shapeIndex = new Map<string, number>();
/** The shapes last found, most recent first: a detail's reason is tried against these before it is taken apart. */
const RECENT = 8;
const recent: number[] = [];

type Filled = Pick<BeadInfo, 'identity' | 'ownedSlot' | 'agentSlot' | 'aliasSlot'>;

const part = (what: number, a: Filled): string =>
  what === IDENTITY ? (a.identity ?? '') : String(what === OWNED ? a.ownedSlot : what === AGENT ? a.agentSlot : a.aliasSlot);

function fill(shape: Shape, a: Filled): string {
  let out = shape[0] as string;
  for (let k = 1; k < shape.length; k += 2) out += part(shape[k] as number, a) + (shape[k + 1] as string);
  return out;
}

/** Whether `shape` filled with `a`'s values is `text`, compared piece by piece (no string made but the numbers'). */
function fits(shape: Shape, a: Filled, text: string): boolean {
  if (shape.includes(IDENTITY) && !a.identity) return false;
  let at = 0;
  for (let k = 0; k < shape.length; k++) {
    const piece = k % 2 === 0 ? (shape[k] as string) : part(shape[k] as number, a);
    if (!text.startsWith(piece, at)) return false;
    at += piece.length;
  }
  return at === text.length;
}

/** The shape a reason's text takes apart into: its identity and its numbers equal to a slot taken out. */
function takeApart(a: BeadInfo): Shape {
  const text = a.slotReason;
  const slots = [String(a.ownedSlot), String(a.agentSlot), String(a.aliasSlot)];
  const shape: (string | number)[] = [];
  let lit = '';
  const take = (piece: string) => {
    for (const run of piece.split(/(\d+)/)) {
      const k = /^\d/.test(run) ? slots.indexOf(run) : -1;
      if (k < 0) lit += run;
      else {
        shape.push(lit, OWNED + k);
        lit = '';
      }
    }
  };
  const identity = a.identity;
  if (identity) {
    const pieces = text.split(identity);
    for (let k = 0; k < pieces.length; k++) {
      if (k > 0) {
        shape.push(lit, IDENTITY);
        lit = '';
      }
      take(pieces[k]);
    }
  } else take(text);
  shape.push(lit);
  return shape;
}

/** The place of `shape` in this thread's shapes (added if new), or -1 when they are full. */
function placeOf(shape: Shape): number {
  const key = shape.join('\u0000');
  let at = shapeIndex.get(key);
  if (at === undefined) {
    if (shapes.length >= MAX_SHAPES) return -1;
    at = shapes.length;
    shapes.push(shape);
    shapeIndex.set(key, at);
  }
  return at;
}

/** The reason's shape, or -1 when its text has to be kept (no shape gives back the very same text). */
function shapeOf(a: BeadInfo): number {
  const text = a.slotReason;
  for (let k = 0; k < recent.length; k++) {
    const at = recent[k];
    if (fits(shapes[at], a, text)) {
      if (k > 0) {
        recent.splice(k, 1);
        recent.unshift(at);
      }
      return at;
    }
  }
  const shape = takeApart(a);
  if (shape.length === 1) return -1;
  const at = placeOf(shape);
  if (at < 0 || !fits(shapes[at], a, text)) return -1;
  recent.unshift(at);
  if (recent.length > RECENT) recent.length = RECENT;
  return at;
}

/** A SlimBeadInfo's own fields, as a plain object (what a structured clone keeps of one), its reason's shape a place in `aside`. */
type SlimFields = Pick<
  SlimBeadInfo,
  'id' | 'template' | 'bits' | 'agentSlot' | 'aliasSlot' | 'sessionNameSlot' | 'ownedSlot' | 'reason' | 'identity' | 'rare'
>;

class SlimBeadInfo implements BeadInfo {
  id: string;
  template: string | null;
  /** The flags (flagBits), then the template source's code (SOURCES). */
  bits: number;
  agentSlot: number;
  aliasSlot: number;
  sessionNameSlot: number;
  ownedSlot: number;
  /** The reason's text, or its shape's number (shapeOf). */
  reason: string | number;
  identity: string | null;
  rare: Rare | null;

  /**
   * Its fields, as `of` makes them from a detail, or as they arrived (detailForm): made by this constructor, every field
   * is in the object (104 bytes at 100 000 beads' 72 000 details), where a deserialized object given this prototype kept
   * 4 in it and the rest in a property store of its own (56 + 64 bytes).
   */
  constructor(f: SlimFields) {
    this.id = f.id;
    this.template = f.template;
    this.bits = f.bits;
    this.agentSlot = f.agentSlot;
    this.aliasSlot = f.aliasSlot;
    this.sessionNameSlot = f.sessionNameSlot;
    this.ownedSlot = f.ownedSlot;
    this.reason = f.reason;
    this.identity = f.identity;
    this.rare = f.rare;
  }

  static of(a: BeadInfo): SlimBeadInfo {
    const source = SOURCES.indexOf(a.templateSource);
    const shape = shapeOf(a);
    return new SlimBeadInfo({
      id: a.id,
      template: a.template,
      bits: flagBits(a) | ((source < 0 ? OTHER_SOURCE : source) << SOURCE_SHIFT),
      agentSlot: a.agentSlot,
      aliasSlot: a.aliasSlot,
      sessionNameSlot: a.sessionNameSlot,
      ownedSlot: a.ownedSlot,
      reason: shape < 0 ? a.slotReason : shape,
      identity: a.identity,
      rare:
        source < 0 || a.duplicateOf !== null || a.incumbentReason !== null || a.aliasConflictHolder !== null || a.liveWork.length > 0
          ? {
              ...(source < 0 ? { templateSource: a.templateSource } : {}),
              duplicateOf: a.duplicateOf,
              incumbentReason: a.incumbentReason,
              aliasConflictHolder: a.aliasConflictHolder,
              liveWork: a.liveWork.length === 0 ? NO_WORK : a.liveWork,
            }
          : null,
    });
  }

  get templateSource(): TemplateSource | null {
    const code = this.bits >>> SOURCE_SHIFT;
    return code === OTHER_SOURCE ? (this.rare?.templateSource ?? null) : SOURCES[code];
  }
  get slotReason(): string {
    const r = this.reason;
    return typeof r === 'string' ? r : fill(shapes[r], this);
  }
  get duplicateOf(): string | null {
    return this.rare?.duplicateOf ?? null;
  }
  get incumbentReason(): string | null {
    return this.rare?.incumbentReason ?? null;
  }
  get aliasConflictHolder(): string | null {
    return this.rare?.aliasConflictHolder ?? null;
  }
  get liveWork(): string[] {
    return this.rare?.liveWork ?? NO_WORK;
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
  return SlimBeadInfo.of(x as BeadInfo);
}

/**
 * The bead details as they travel from the plan worker: the console's own form of each, made on the worker's thread
 * (a full detail deserialized on the console's and made slim there was about 250 bytes of garbage a detail, in the
 * old generation: docs/speed.md). Each is a SlimBeadInfo's fields as a plain object, its reason's shape (this
 * thread's) the place of that shape in the slice's list of them, which goes aside; the receiver takes each shape into
 * its own list and makes a SlimBeadInfo of each object, in the slice's place of it (its constructor keeps every field
 * in the object; the object that arrived is garbage of the young generation or, of a slice over 100 KB, the old).
 */
export const detailForm: EntryForm = {
  send(entries) {
    const aside: Shape[] = [];
    const places = new Map<number, number>();
    const items = entries.map((x): SlimFields => {
      const a = SlimBeadInfo.of(x as BeadInfo);
      let reason = a.reason;
      if (typeof reason === 'number') {
        let k = places.get(reason);
        if (k === undefined) {
          places.set(reason, (k = aside.length));
          aside.push(shapes[reason]);
        }
        reason = k;
      }
      const { id, template, bits, agentSlot, aliasSlot, sessionNameSlot, ownedSlot, identity, rare } = a;
      return { id, template, bits, agentSlot, aliasSlot, sessionNameSlot, ownedSlot, reason, identity, rare };
    });
    return { items, aside };
  },
  keep(items, aside) {
    const sent = aside as Shape[];
    const mine = sent.map(placeOf);
    for (let j = 0; j < items.length; j++) {
      const x = items[j] as SlimFields;
      const r = x.reason;
      if (typeof r === 'number') {
        if (!(r >= 0 && r < sent.length)) throw new Error(`a bead detail's reason names shape ${r} of ${sent.length}`);
        x.reason = mine[r] >= 0 ? mine[r] : fill(sent[r], x);
      }
      if (x.rare && x.rare.liveWork.length === 0) x.rare.liveWork = NO_WORK;
      items[j] = new SlimBeadInfo(x);
    }
  },
};

/**
 * How the console's thread keeps the entries of a collection it unpacks (chunked-clone.ts PackMemo): the bead details
 * slim (when they do not arrive in their form), the beads with their fields in the object (bead-shapes.ts).
 */
export function consoleEntries(collection: string): ((x: unknown) => unknown) | undefined {
  return collection === 'detail.beads' ? slimBeadInfo : collection === 'state.beads' ? keptBead : undefined;
}

/** The collections that travel in a form of their own (chunked-clone.ts EntryForm): the bead details. */
export function detailForms(collection: string): EntryForm | undefined {
  return collection === 'detail.beads' ? detailForm : undefined;
}
