// The beads as the console's thread keeps them (bead-shapes.ts): made again with their fields in the object, the same
// data key for key, and less memory than the objects v8.deserialize makes. Packed and unpacked as the plan worker and
// the console do it (chunked-clone.ts, one memo on each side).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, test, vi } from 'vitest';
import { pack, PackMemo, unpackSync } from '../../src/console/worker/chunked-clone.js';
import { consoleEntries, detailForms } from '../../src/console/worker/bead-info-slim.js';
import { keptBead } from '../../src/console/worker/bead-shapes.js';
import type { State } from '../../src/engine/types.js';
import { dataTree } from '../support/data-trees.js';
import { tempDir } from '../support/files.js';
import { PROPERTY_RUNS } from '../support/runs.js';
// @ts-expect-error a plain .mjs script without types
import { generateStore } from '../../scripts/gen-store.mjs';

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

const BEADS = 30_000;

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

  test('a read of a generated store holds less on the console’s thread than the beads as deserialized, and the same data', async () => {
    // Modules of their own: the shapes this thread knows are made as beads come, up to a limit the tests above reach.
    vi.resetModules();
    const { pack, PackMemo, unpackSync } = await import('../../src/console/worker/chunked-clone.js');
    const { consoleEntries, detailForms } = await import('../../src/console/worker/bead-info-slim.js');
    const { loadStore } = await import('../../src/store/formats/load-store.js');
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const file = join(tempDir('gc-tui-bead-shapes-'), 'store.json');
    writeFileSync(file, JSON.stringify(generateStore({ beads: BEADS, seed: 5, order: 'created' })));
    const { state } = await loadStore(file);
    const { packed } = pack({ loaded: { state } }, 1000, new PackMemo(), { adopt: true, forms: detailForms });
    /** Heap held by the beads as a console's memo unpacks them (the memo's entries dropped, the value kept). */
    const held = (got: InstanceType<typeof PackMemo>) => {
      gc();
      const before = process.memoryUsage().heapUsed;
      const r = unpackSync<{ loaded: { state: State } }>(packed, got);
      got.collections.clear();
      gc();
      const bytes = process.memoryUsage().heapUsed - before;
      expect(text(r.loaded.state.beads)).toBe(text(state.beads));
      return bytes;
    };
    // Each way twice after a first round (what a first unpack makes once: code, tables), the least of each.
    const kept: number[] = [];
    const plain: number[] = [];
    for (let round = 0; round < 3; round++) {
      const k = held(new PackMemo(consoleEntries, detailForms));
      const p = held(new PackMemo());
      if (round === 0) continue;
      kept.push(k);
      plain.push(p);
    }
    // 30 000 beads (24 000 sessions with 8 metadata fields): about 24 bytes a bead and 32 a session's metadata less,
    // of about 440 bytes a bead with its strings and lists: some 11 % less.
    expect(Math.min(...kept)).toBeLessThan(Math.min(...plain) * 0.95);
    expect(Math.min(...kept)).toBeGreaterThan(Math.min(...plain) * 0.7);
  });
});
