// The beads as the console's thread keeps them (bead-shapes.ts): made again with their fields in the object, the same
// data key for key (the memory they save: bead-shapes-memory.test.ts). Packed and unpacked as the plan worker and
// the console do it (chunked-clone.ts, one memo on each side).
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { pack, PackMemo, unpackSync } from '../../src/console/worker/chunked-clone.js';
import { consoleEntries, detailForms } from '../../src/console/worker/bead-info-slim.js';
import { keptBead } from '../../src/console/worker/bead-shapes.js';
import type { State } from '../../src/engine/types.js';
import { dataTree } from '../support/data-trees.js';
import { PROPERTY_RUNS } from '../support/runs.js';

/** JSON with key order, so a reordered object is told apart (toEqual ignores key order). */
const text = (v: unknown) => JSON.stringify(v);

/** Every object's own keys and prototype, all the way down: what JSON does not show (`__proto__` as an own key). */
function layout(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return typeof v;
  const proto = Object.getPrototypeOf(v) === Object.prototype ? 'Object' : Array.isArray(v) ? 'Array' : 'other';
  return [proto, Reflect.ownKeys(v).map((k) => [String(k), layout((v as Record<string | symbol, unknown>)[k])])];
}

/** The console's and the worker's memos, and a round: the state packed as the worker packs it, unpacked as the console does. */
function wire() {
  const sent = new PackMemo();
  const got = new PackMemo(consoleEntries, detailForms);
  return (state: unknown) =>
    unpackSync<{ loaded: { state: State } }>(pack({ loaded: { state } }, 3, sent, { adopt: true, forms: detailForms }).packed, got);
}

describe('beads kept with their fields in the object', () => {
  const leaf = fc.oneof(fc.string({ maxLength: 3 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined));
  const key = fc.oneof(
    fc.constantFrom('id', 'labels', 'metadata', '__proto__', '0', '12', '01', '-0', '4294967295', 'constructor', 'toString', '\u2028', '"'),
    fc.string({ maxLength: 2 }),
    fc.string({ unit: 'binary', maxLength: 2 }),
  );
  const tree = dataTree(leaf, key);
  const bead = fc.oneof(
    fc.record({
      id: fc.string({ maxLength: 4 }),
      labels: fc.array(fc.string({ maxLength: 2 }), { maxLength: 2 }),
      metadata: fc.dictionary(key, tree),
    }),
    fc.dictionary(key, tree),
    tree,
  );

  test('each bead arrives as sent, key for key and in order, its metadata too, refresh after refresh', () => {
    fc.assert(
      fc.property(fc.array(fc.array(bead, { maxLength: 9 }), { minLength: 1, maxLength: 3 }), (reads) => {
        const round = wire();
        for (const beads of reads) {
          const r = round({ beads });
          expect(text(r.loaded.state.beads)).toBe(text(beads));
          expect(layout(r.loaded.state.beads)).toEqual(layout(structuredClone(beads)));
        }
      }),
      { numRuns: PROPERTY_RUNS * 2 },
    );
  });

  test('a bead of a shape past the shapes kept, or with keys a literal cannot hold in place, is kept as it came', () => {
    const odd = [{ __proto__: null }, JSON.parse('{"__proto__": 1, "a": 2}'), { 3: 'x', id: 'b' }];
    for (const x of odd) {
      const copy = structuredClone(x);
      expect(layout(keptBead(copy))).toEqual(layout(copy));
    }
    const many = Array.from({ length: 200 }, (_, i) => ({ id: `b${i}`, [`k${i}`]: i, metadata: { [`m${i}`]: 'v' } }));
    const round = wire();
    const r = round({ beads: many });
    expect(text(r.loaded.state.beads)).toBe(text(many));
    expect(layout(r.loaded.state.beads)).toEqual(layout(many));
  });
});
