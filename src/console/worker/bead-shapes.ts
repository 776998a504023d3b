// The beads of a read as the console's thread keeps them. v8.deserialize makes every object with four fields in the
// object and the rest in a property store of its own, grown three fields at a time: a session bead (9 fields) and its
// metadata (8) were 120 bytes each, of them 16 the store's header and 8–16 its unused room. Made again here by an
// object literal of the bead's own keys, in its own order, each holds its fields in the object: 96 and 88 bytes. At
// 100 000 beads the console's thread holds about 5.5 MB less (docs/speed.md). The same keys, order, values (the same
// strings and lists, not copies) and prototype: what a view, an export, the inspect pane or a write sees is unchanged.

/** A shape's keys in order, and the function that makes an object of them from one that has them. */
interface Shape {
  keys: readonly string[];
  make: (from: Record<string, unknown>, inner: (v: unknown) => unknown) => Record<string, unknown>;
}

/** Shapes known at most, per level (beads, their metadata): past it, an object of a new shape is kept as it came. */
const MAX_SHAPES = 64;
/** Keys of a shape at most: an object with more is kept as it came. */
const MAX_KEYS = 64;

/** A key that cannot be written as a literal's own key in its place: an array index (enumerated first), `__proto__`. */
const odd = (k: string) => k === '__proto__' || /^(?:0|[1-9][0-9]*)$/.test(k);

/** Whether `o`'s enumerable keys are `keys`, in order (for…in: no list made; a deserialized object's are its own). */
function hasKeys(o: object, keys: readonly string[]): boolean {
  let i = 0;
  for (const k in o) if (keys[i++] !== k) return false;
  return i === keys.length;
}

/** Shapes looked at in turn before a lookup by the keys' text: a store's beads come in a few, mostly one after another. */
const RECENT = 8;

/** The shapes of one level (beads, their metadata). */
class Shapes {
  /** The shapes found last, the last one first. */
  private readonly recent: Shape[] = [];
  /** Every shape made, by its keys' JSON (see MAX_SHAPES); null for keys that cannot be made again. */
  private readonly byKeys = new Map<string, Shape | null>();

  /** `o`'s shape, made if new; null when `o` cannot or may not be made again (see MAX_SHAPES, MAX_KEYS, odd). */
  of(o: Record<string, unknown>): Shape | null {
    const recent = this.recent;
    for (let s = 0; s < recent.length; s++)
      if (hasKeys(o, recent[s].keys)) {
        const shape = recent[s];
        if (s > 0) {
          recent.splice(s, 1);
          recent.unshift(shape);
        }
        return shape;
      }
    const keys = Object.keys(o);
    // JSON of the list: no two lists of keys read the same (as joined, [] and [""] would).
    const text = JSON.stringify(keys);
    let shape = this.byKeys.get(text);
    if (shape === undefined) {
      if (this.byKeys.size >= MAX_SHAPES) return null;
      shape = keys.length > MAX_KEYS || keys.some(odd) || Object.getOwnPropertySymbols(o).length > 0 ? null : made(keys);
      this.byKeys.set(text, shape);
    }
    if (shape) {
      recent.unshift(shape);
      if (recent.length > RECENT) recent.length = RECENT;
    }
    return shape;
  }
}

/**
 * The shape of `keys` (null if it cannot be made): one object literal of them, which V8 gives exactly as many fields
 * in the object. Each key is written as JSON writes a string, which JavaScript reads back as that string.
 */
function made(keys: string[]): Shape | null {
  const fields = keys.map((k) => `${JSON.stringify(k)}: inner(from[${JSON.stringify(k)}])`);
  try {
    const make = new Function('from', 'inner', `return { ${fields.join(', ')} };`) as Shape['make'];
    return { keys, make };
  } catch {
    // Code made from text refused (node --disallow-code-generation-from-strings): the beads are kept as they came.
    return null;
  }
}

const isPlain = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

const beadShapes = new Shapes();
const innerShapes = new Shapes();

/** A value of a bead: a plain object (its metadata) made again with its fields in the object; anything else itself. */
function inner(v: unknown): unknown {
  if (!isPlain(v)) return v;
  const shape = innerShapes.of(v);
  return shape ? shape.make(v, same) : v;
}

const same = (v: unknown) => v;

/** A deserialized bead as the console keeps it: the same data, its fields and its metadata's in their objects. */
export function keptBead(x: unknown): unknown {
  if (!isPlain(x)) return x;
  const shape = beadShapes.of(x);
  return shape ? shape.make(x, inner) : x;
}
