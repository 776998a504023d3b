// The memory the console's thread saves by keeping the beads with their fields in the object (bead-shapes.ts), against
// the objects v8.deserialize makes. This file runs in a worker of its own (vitest.config.ts ISOLATED): in a worker
// shared with other test files the heap they left changed the difference measured here from 10 % to 4–6 %, and a
// console's thread starts from a heap of its own too.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, test } from 'vitest';
import { pack, PackMemo, unpackSync } from '../../src/console/worker/chunked-clone.js';
import { consoleEntries, detailForms } from '../../src/console/worker/bead-info-slim.js';
import type { State } from '../../src/engine/types.js';
import { loadStore } from '../../src/store/formats/load-store.js';
import { tempDir } from '../support/files.js';
// @ts-expect-error a plain .mjs script without types
import { generateStore } from '../../scripts/gen-store.mjs';

/** JSON with key order, so a reordered object is told apart. */
const text = (v: unknown) => JSON.stringify(v);

const BEADS = 30_000;

test('a read of a generated store holds less on the console’s thread than the beads as deserialized, and the same data', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const file = join(tempDir('gc-tui-bead-shapes-'), 'store.json');
  writeFileSync(file, JSON.stringify(generateStore({ beads: BEADS, seed: 5, order: 'created' })));
  const { state } = await loadStore(file);
  const { packed } = pack({ loaded: { state } }, 1000, new PackMemo(), { adopt: true, forms: detailForms });
  /** Heap held by the beads as a console's memo unpacks them (the memo's entries dropped, the value kept). */
  const held = (got: PackMemo) => {
    gc();
    const before = process.memoryUsage().heapUsed;
    const r = unpackSync<{ loaded: { state: State } }>(packed, got);
    got.collections.clear();
    gc();
    const bytes = process.memoryUsage().heapUsed - before;
    expect(text(r.loaded.state.beads)).toBe(text(state.beads));
    return bytes;
  };
  // Each way three times after a first round (what a first unpack makes once: code, tables), the least of each: on a
  // loaded machine one round in a few holds ~0.5 MB more (code and feedback made while it runs).
  const kept: number[] = [];
  const plain: number[] = [];
  for (let round = 0; round < 4; round++) {
    const k = held(new PackMemo(consoleEntries, detailForms));
    const p = held(new PackMemo());
    if (round === 0) continue;
    kept.push(k);
    plain.push(p);
  }
  // 30 000 beads (24 000 sessions with 8 metadata fields): about 24 bytes a bead and 32 a session's metadata less,
  // of about 440 bytes a bead with its strings and lists: some 10 % less.
  expect(Math.min(...kept)).toBeLessThan(Math.min(...plain) * 0.95);
  expect(Math.min(...kept)).toBeGreaterThan(Math.min(...plain) * 0.7);
});
