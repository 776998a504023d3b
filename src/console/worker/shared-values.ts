// One string per repeated value, on both sides of the plan worker's boundary (chunked-clone.ts). The receiver makes
// each repeated value one string; the sender also sends each as one: v8's deserializer makes a new string of every
// string it reads, and of a slice over 100 KB it makes them all in the old generation, so the copies the receiver
// then swapped for its own stayed as garbage until the thread's next full collection, through both tops of the
// console's memory (docs/speed.md). An object, unlike a string, is written once per slice and read back as one object
// wherever it was: so the sender puts one String object per repeated value in the slice's place of each copy while it
// is serialized, and the receiver puts back the string it holds for that value (one per String object).

/** Distinct values kept per field: a field whose values rarely repeat (ids, names) is given up once it has this many. */
export const FIELD_VALUES = 4096;
/** Lookups since a field's table filled that let `settle` judge it (see there). */
const SETTLE_LOOKS = 256;
/** Fields looked at: a store's metadata keys are the operator's, in any number. */
const MAX_FIELDS = 512;
/** How deep into an entry its values are shared: a bead's metadata and labels sit at depth 1, a repair's changes at 2. */
const SHARE_DEPTH = 3;

/** What is known of one field's values: one string per value while they repeat. */
interface FieldValues {
  values: Map<string, string>;
  /** Lookups since the map was full, and how many found their value. */
  looked: number;
  found: number;
  /** The values do not repeat: not looked up any more. */
  off: boolean;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * One string per repeated value of the entries unpacked here. Deserialization makes a new string of every
 * string it reads, so 100 000 beads held 200 000 copies of a few creation times, 80 000 of `"gc:session"` and
 * `"true"`, a template name per bead (at 100 000 beads, about 50 MB of the console's 116 MB of strings were
 * copies of an equal string). Values are kept per field name (`template`, `state`, `labels` for a list's
 * items), at most FIELD_VALUES each; a field whose values then mostly miss is given up, so ids and names cost a
 * few thousand lookups, not one each. A string equal to the one before it in its object (an alias that is the
 * agent name) takes that string. Only ever replaces a string by an equal one: the data is unchanged.
 */
export class SharedValues {
  private readonly fields = new Map<string, FieldValues>();
  /** Whether the value `one` last gave is in its field's table (a value that repeats, or may). */
  private held = false;
  /** While `wrapAll` walks a slice: the String object of each value held, and where each was put (holder, key, value). */
  private wrappers: Map<string, object> | null = null;
  private readonly undo: unknown[] = [];
  /** While `shareAll` walks a wrapped slice: the string each String object in it stands for. */
  private unwrapped: Map<object, string> | null = null;

  /** `cap`: distinct values kept per field (tests give a small one). */
  constructor(private readonly cap = FIELD_VALUES) {}

  private one(field: string, v: string): string {
    this.held = false;
    let f = this.fields.get(field);
    if (!f) {
      if (this.fields.size >= MAX_FIELDS) return v;
      this.fields.set(field, (f = { values: new Map(), looked: 0, found: 0, off: false }));
    }
    if (f.off) return v;
    const had = f.values.get(v);
    if (f.values.size >= this.cap) {
      f.looked++;
      if (had !== undefined) f.found++;
      // Full, and most lookups miss: its values are mostly new ones (ids, names, times that all differ).
      if (f.looked >= this.cap && f.found * 2 < f.looked) this.giveUp(f);
      this.held = had !== undefined;
      return had ?? v;
    }
    this.held = true;
    if (had !== undefined) return had;
    f.values.set(v, v);
    return v;
  }

  private giveUp(f: FieldValues): void {
    f.off = true;
    f.values.clear();
  }

  /**
   * A value is whole (all its slices shared or wrapped): a full field whose lookups since it filled mostly missed is
   * given up now, once it has had SETTLE_LOOKS of them, not only after FIELD_VALUES. A read fills a field of values that
   * never come twice (a repair's reason, its session's id, its live work) and ends before that many more lookups, and a
   * refresh sends too few of them to get there: each such table (FIELD_VALUES strings and their Map, on both threads)
   * was held for good.
   */
  settle(): void {
    for (const f of this.fields.values()) if (!f.off && f.looked >= SETTLE_LOOKS && f.found * 2 < f.looked) this.giveUp(f);
  }

  /**
   * `items`' strings (and those of their objects and arrays, down to SHARE_DEPTH), equal values made one string.
   * `wrapped`: the items came from a slice `wrapAll` made, whose String objects stand for their values.
   */
  shareAll(items: unknown[], wrapped = false): void {
    this.unwrapped = wrapped ? new Map() : null;
    try {
      this.inArray(items, '', 0);
    } finally {
      this.unwrapped = null;
    }
  }

  /**
   * shareAll on the sender's side, and then each value held in a field's table (one that repeats, or may) put as one
   * String object per value of this slice, for `use` (the slice's serialization). The items are as shareAll leaves
   * them once `use` returns. Items holding a number kept as its text are not for this (number-texts.ts sends those
   * as String objects too).
   */
  wrapAll<T>(items: unknown[], use: () => T): T {
    this.wrappers = new Map();
    const undo = this.undo;
    try {
      this.inArray(items, '', 0);
      return use();
    } finally {
      this.wrappers = null;
      for (let i = undo.length - 3; i >= 0; i -= 3) (undo[i] as Record<string | number, unknown>)[undo[i + 1] as string] = undo[i + 2];
      undo.length = 0;
    }
  }

  /** `s` as it goes in the place `holder[k]`: itself, or while wrapAll walks, the String object of its value. */
  private put(holder: Record<string | number, unknown>, k: string | number, s: string): void {
    const wrappers = this.wrappers;
    if (!wrappers || !this.held) {
      holder[k] = s;
      return;
    }
    let w = wrappers.get(s);
    if (!w) wrappers.set(s, (w = new String(s)));
    this.undo.push(holder, k, s);
    holder[k] = w;
  }

  /** The string a String object of a wrapped slice stands for, the one this table holds. */
  private unwrap(field: string, w: object): string {
    const u = this.unwrapped!;
    let s = u.get(w);
    if (s === undefined) u.set(w, (s = this.one(field, (w as string[] & { valueOf(): string }).valueOf())));
    return s;
  }

  private inArray(a: unknown[], field: string, depth: number): void {
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (typeof v === 'string') this.put(a as unknown as Record<number, unknown>, i, this.one(field, v));
      else if (typeof v === 'object' && v !== null) {
        if (this.unwrapped && v instanceof String) a[i] = this.unwrap(field, v);
        else if (depth < SHARE_DEPTH) this.inValue(v, field, depth + 1);
      }
    }
  }

  private inValue(v: object, field: string, depth: number): void {
    if (Array.isArray(v)) this.inArray(v, field, depth);
    else if (isPlainObject(v)) this.inObject(v, depth);
  }

  private inObject(o: Record<string, unknown>, depth: number): void {
    let prev: string | undefined;
    for (const k of Object.keys(o)) {
      const v = o[k];
      // An own `__proto__` key is data: assigned with =, it would set the prototype (it is the same value anyway,
      // and never wrapped).
      if (typeof v === 'string') {
        const s = v === prev ? prev : this.one(k, v);
        if (k !== '__proto__') this.put(o, k, s);
        prev = s;
      } else if (typeof v === 'object' && v !== null) {
        if (this.unwrapped && v instanceof String) {
          const s = this.unwrap(k, v);
          if (k !== '__proto__') o[k] = s;
          prev = s;
        } else if (depth < SHARE_DEPTH) this.inValue(v, k, depth + 1);
      }
    }
  }
}
