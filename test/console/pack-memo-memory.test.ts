// What the pack memos (chunked-clone.ts) and what the console keeps of a read hold, and what a refresh's packing
// allocates: measured on the heap, so this file runs in a worker of its own (vitest.config.ts ISOLATED), where no other
// file's leftovers move the figures.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, test } from 'vitest';
import { pack, PackMemo, unpackSync, type RecordParts } from '../../src/console/worker/chunked-clone.js';
import { consoleEntries, detailForms } from '../../src/console/worker/bead-info-slim.js';
import type { BeadInfo } from '../../src/engine/types.js';
import { allocatedBy } from '../support/allocations.js';

/** JSON with key order, so a reordered object is told apart. */
const text = (v: unknown) => JSON.stringify(v);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

test('packing an unchanged collection again makes the memo’s list of its entries once, at its length', async () => {
  // 100 000 entries, as a refresh of the bench's city packs its beads: a list grown an entry at a time made copies of
  // itself of about twice its size before it (and kept up to half its length unused).
  const n = 100_000;
  const beads = Array.from({ length: n }, (_, i) => ({ id: `b${i}`, state: i % 3 ? 'awake' : 'asleep' }));
  const memo = new PackMemo();
  pack({ beads }, 1000, memo, { adopt: true });
  const once = async () => (await allocatedBy(() => pack({ beads }, 1000, memo, { adopt: true }))).bytes;
  const bytes = Math.min(await once(), await once(), await once());
  // The memo's list and the slices' copies of the entries, n words (8 bytes) each: 1.8 MB here. The list grown an entry
  // at a time: 3.6 MB.
  expect(bytes).toBeLessThan(n * 8 * 3);
});

test('a memo that prints a record read a part at a time keeps the record’s own list of keys, not a copy', () => {
  const n = 5000;
  const ids = Array.from({ length: n }, (_, i) => `gc-${i}`);
  const values = ids.map((id, i) => ({ id, n: i }));
  const parts: RecordParts = {
    ids,
    at: (k) => values[k],
    madeOf: { shared: (p) => p.str('city'), source: (k) => values[k], row: (k, p) => p.int(k) },
  };
  const memo = new PackMemo();
  const printer = (x: never, p: { str(s: string): void; int(x: number): void }) => {
    const v = x as { id: string; n: number };
    p.str(v.id);
    p.int(v.n);
  };
  const opts = {
    print: (c: string) => (c === 'detail.beads' ? printer : undefined),
    parts: (_o: object, k: string) => (k === 'beads' ? parts : null),
  };
  const got = new PackMemo();
  for (let round = 0; round < 2; round++) {
    const r = unpackSync<{ detail: { beads: Record<string, unknown> } }>(
      pack({ detail: { beads: {} } }, 1000, memo, opts as never).packed,
      got,
    );
    expect(Object.keys(r.detail.beads)).toEqual(ids);
    const printed = (memo.collections.get('detail.beads') as unknown as { printed: { keys: unknown } }).printed;
    expect(printed.keys).toBe(ids);
  }
});

test('a field whose values never repeat is not kept in either memo’s table once a value is whole', () => {
  // 5 000 repairs whose reasons all differ, as a read's are: more than a field's table keeps (4 096), and too few
  // lookups past it for the table to be given up by count.
  const n = 5000;
  const repairs = () => Array.from({ length: n }, (_, i) => ({ id: `r${i}`, reason: `slot ${i} of pool p${i} is held by s-${i * 7}` }));
  // In a frame of its own, popped before the heap is measured: nothing of the value is held but by the memos.
  const unpacked = (sent: PackMemo, got: PackMemo) =>
    unpackSync<{ repairs: unknown[] }>(pack({ repairs: repairs() }, 1000, sent).packed, got).repairs.length;
  // Once first with memos of its own: the code and tables a first pack and unpack make.
  expect(unpacked(new PackMemo(), new PackMemo())).toBe(n);
  const sent = new PackMemo();
  const got = new PackMemo();
  const base = heap();
  expect(unpacked(sent, got)).toBe(n);
  sent.collections.clear();
  got.collections.clear();
  // What the two memos hold beyond their collections: their tables of values. About 120 bytes a reason kept (its
  // string and its Map entry), twice: some 1.2 MB when kept.
  expect(heap() - base).toBeLessThan(400_000);
});

const detail = (i: number): BeadInfo => ({
  id: `gc-${i}`,
  template: 'backend/worker',
  templateSource: 'template',
  poolManaged: true,
  named: false,
  live: true,
  knownState: true,
  agentSlot: i,
  aliasSlot: i,
  sessionNameSlot: -1,
  ownedSlot: i,
  slotReason: `pool_slot ${i} agrees with agent identity "backend/worker-${i}"`,
  identity: `backend/worker-${i}`,
  duplicateOf: null,
  incumbentReason: null,
  mismatchedAlias: false,
  aliasConflictHolder: null,
  outOfBounds: false,
  inFlight: false,
  stale: false,
  deferredRollback: false,
  stalePoolSlot: false,
  templateBackfill: false,
  liveWork: [],
});

test('the bead details the console keeps hold each detail’s fields in the object', () => {
  const n = 30_000;
  const beads: Record<string, BeadInfo> = {};
  for (let i = 0; i < n; i++) beads[`gc-${i}`] = detail(i);
  const { packed } = pack({ plan: { detail: { beads } } }, 1000, new PackMemo(), { forms: detailForms });
  /** The heap a console's memo holds once it unpacked the details, a detail (in a frame of its own, popped after). */
  const heldPerDetail = () => {
    const got = new PackMemo(consoleEntries, detailForms);
    const base = heap();
    const r = unpackSync<{ plan: { detail: { beads: Record<string, BeadInfo> } } }>(packed, got);
    const bytes = heap() - base;
    expect(text(Object.values(r.plan.detail.beads))).toBe(text(Object.values(beads)));
    return bytes / n;
  };
  // The least of three after a first (what a first unpack makes once: code, tables, the reasons' shapes).
  const held = [heldPerDetail(), heldPerDetail(), heldPerDetail(), heldPerDetail()].slice(1);
  // A detail: its object, 104 bytes with its 10 fields in it (120 as deserialized and given SlimBeadInfo's prototype:
  // 56 in the object, 64 in its property store), its strings, its places in the record and in the list of its values:
  // 177 bytes here (193 as deserialized).
  expect(Math.min(...held)).toBeLessThan(185);
});
