// What travels from the plan worker in a memo'd pack: each repeated value once a slice (SharedValues.wrapAll), and the
// bead details in the form the console keeps (bead-info-slim.ts detailForm). The receiver must get the very data sent.
import { deserialize, serialize } from 'node:v8';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { pack, PackMemo, unpackSync, type Packed } from '../../src/console/worker/chunked-clone.js';
import { SharedValues } from '../../src/console/worker/shared-values.js';
import { consoleEntries, detailForm, detailForms } from '../../src/console/worker/bead-info-slim.js';
import { detailParts, planPrinter } from '../../src/console/worker/plan-print.js';
import { plan, type Plan } from '../../src/engine/index.js';
import type { BeadInfo } from '../../src/engine/types.js';
import { JsonNumberText } from '../../src/store/formats/json-text.js';
import { chaosArb } from '../engine/differential-arbitraries.js';
import { NOW } from '../support/builders.js';
import { PROPERTY_RUNS } from '../support/runs.js';
import { dataTree } from '../support/data-trees.js';

/** JSON with key order, so a reordered object is told apart (toEqual ignores key order). */
const text = (v: unknown) => JSON.stringify(v);

/** How often `needle` is in `bytes` (its Latin-1 bytes, as v8.serialize writes a one-byte string). */
function count(bytes: Uint8Array, needle: string): number {
  const hay = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  let n = 0;
  for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) n++;
  return n;
}

const slicesOf = (packed: Packed, path?: string) =>
  packed.pieces.filter((p) => path === undefined || p.path.join('.') === path).flatMap((p) => p.slices);

/** Whether a String object is anywhere in `v`: what the sender puts in a slice must never reach the receiver's data. */
function wrapperIn(v: unknown): boolean {
  if (v instanceof String) return true;
  if (v === null || typeof v !== 'object') return false;
  return Object.keys(v).some((k) => wrapperIn((v as Record<string, unknown>)[k]));
}

describe('a slice with its repeated values sent once', () => {
  const word = fc.constantFrom('a', 'awake', 'asleep', 'backend/builder', '', '__proto__', '0', 'ünïcödé', '👩‍💻', '\u0000x');
  const leaf = fc.oneof(
    word,
    fc.string({ maxLength: 3 }),
    fc.string({ unit: 'binary', maxLength: 3 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
  );
  const key = fc.oneof(
    fc.constantFrom('id', 'state', 'alias', 'agent_name', '__proto__', '0', '12', 'constructor'),
    fc.string({ maxLength: 2 }),
  );
  const tree = dataTree(leaf, key);
  const keysOf = (items: unknown[]) => text(items.map((x) => (x !== null && typeof x === 'object' ? Object.keys(x) : [])));

  test('arrives as sent, slice after slice through one table on each side; the sender’s items are as they were', () => {
    fc.assert(
      fc.property(fc.array(fc.array(tree, { maxLength: 6 }), { maxLength: 5 }), fc.integer({ min: 1, max: 4 }), (slices, cap) => {
        const sender = new SharedValues(cap);
        const receiver = new SharedValues(cap);
        for (const items of slices) {
          const before = structuredClone(items);
          const bytes = sender.wrapAll(items, () => serialize(items));
          expect(wrapperIn(items)).toBe(false);
          expect(text(items)).toBe(text(before));
          expect(keysOf(items)).toBe(keysOf(before));
          const got = deserialize(bytes) as unknown[];
          receiver.shareAll(got, true);
          expect(wrapperIn(got)).toBe(false);
          expect(text(got)).toBe(text(before));
          expect(keysOf(got)).toBe(keysOf(before));
        }
      }),
      { numRuns: PROPERTY_RUNS * 5 },
    );
  });

  test('a value repeated across a slice’s entries is written once in it; beads come back equal, number texts included', () => {
    const beads = Array.from({ length: 300 }, (_, i) => ({
      id: `b${i}`,
      labels: ['gc:session', `agent:a-${i}`],
      metadata: { state: i % 3 ? 'awake-état' : 'asleep', nested: { deep: { deeper: 'x-repeated-deep' } } },
      priority: i === 7 ? new JsonNumberText('9007199254740993') : 2,
      created_at: '2026-05-06T00:00:00Z',
    }));
    const sent = new PackMemo();
    const { packed } = pack({ beads }, 100, sent);
    const [plain, withText] = [slicesOf(packed)[1], slicesOf(packed)[0]];
    expect(count(plain, '2026-05-06T00:00:00Z')).toBe(1);
    expect(count(plain, 'gc:session')).toBe(1);
    // The slice holding a number kept as its text goes as before: each value where it is.
    expect(count(withText, 'gc:session')).toBe(100);
    const got = unpackSync<{ beads: typeof beads }>(packed, new PackMemo());
    expect(got).toEqual({ beads });
    expect(got.beads[7].priority).toBeInstanceOf(JsonNumberText);
    expect(text(got)).toBe(text({ beads }));
  });
});

const str = fc.option(fc.string(), { nil: null });
const piece = fc.constantFrom('pool_slot ', ' agrees with agent identity "', '"', ' names slot ', '-', '0', '12', 'x');
const detail: fc.Arbitrary<BeadInfo> = fc
  .record({
    id: fc.string(),
    template: str,
    templateSource: fc.constantFrom(null, 'template', 'agent_name', 'label', 'alias', 'other'),
    bits: fc.nat(2047),
    agentSlot: fc.integer({ min: -1, max: 20 }),
    aliasSlot: fc.integer({ min: -1, max: 20 }),
    sessionNameSlot: fc.integer(),
    ownedSlot: fc.nat(20),
    words: fc.array(fc.oneof(piece, fc.constantFrom('identity', 'owned', 'agent', 'alias')), { maxLength: 6 }),
    identity: str,
    duplicateOf: str,
    incumbentReason: str,
    aliasConflictHolder: str,
    liveWork: fc.array(fc.string(), { maxLength: 2 }),
  })
  .map(({ bits, words, ...d }) => {
    const say = (p: string) =>
      ({ identity: d.identity ?? 'none', owned: String(d.ownedSlot), agent: String(d.agentSlot), alias: String(d.aliasSlot) })[p] ?? p;
    const flag = (k: number) => (bits & (1 << k)) !== 0;
    return {
      id: d.id,
      template: d.template,
      templateSource: d.templateSource,
      poolManaged: flag(0),
      named: flag(1),
      live: flag(2),
      knownState: flag(3),
      agentSlot: d.agentSlot,
      aliasSlot: d.aliasSlot,
      sessionNameSlot: d.sessionNameSlot,
      ownedSlot: d.ownedSlot,
      slotReason: words.map(say).join(''),
      identity: d.identity,
      duplicateOf: d.duplicateOf,
      incumbentReason: d.incumbentReason,
      mismatchedAlias: flag(4),
      aliasConflictHolder: d.aliasConflictHolder,
      outOfBounds: flag(5),
      inFlight: flag(6),
      stale: flag(7),
      deferredRollback: flag(8),
      stalePoolSlot: flag(9),
      templateBackfill: flag(10),
      liveWork: d.liveWork,
    } as BeadInfo;
  });

describe('bead details sent as the console keeps them', () => {
  test('each arrives reading as the detail sent, field by field, its JSON key for key', () => {
    fc.assert(
      fc.property(fc.array(detail, { maxLength: 12 }), (infos) => {
        const { items, aside } = detailForm.send(infos);
        const got = deserialize(serialize({ items, aside })) as { items: unknown[]; aside: unknown };
        detailForm.keep(got.items, got.aside);
        got.items.forEach((x, j) => {
          const slim = x as BeadInfo;
          for (const k of Object.keys(infos[j]) as (keyof BeadInfo)[]) expect(slim[k], k).toEqual(infos[j][k]);
          expect(JSON.stringify(slim)).toBe(JSON.stringify(infos[j]));
        });
      }),
      { numRuns: PROPERTY_RUNS * 5 },
    );
  });

  test('plans packed as the worker packs them arrive as their JSON; the details never travel whole', () => {
    fc.assert(
      fc.property(chaosArb, ({ state }) => {
        const value = { plan: plan(state, NOW) };
        const sent = new PackMemo();
        const got = new PackMemo(consoleEntries, detailForms);
        const opts = { adopt: true, print: planPrinter, parts: detailParts, forms: detailForms };
        for (let round = 0; round < 2; round++) {
          const { packed } = pack(value, 2, sent, opts);
          for (const s of slicesOf(packed, 'plan.detail.beads')) expect(count(s, 'slotReason')).toBe(0);
          const r = unpackSync<{ plan: Plan }>(packed, got);
          expect(text(r)).toBe(text(structuredClone(value)));
        }
      }),
      { numRuns: Math.max(10, Math.floor(PROPERTY_RUNS / 2)) },
    );
  });

  test('a receiver that does not know the form says so', () => {
    const details = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`b${i}`, { id: `b${i}` }]));
    const form = { send: (e: unknown[]) => ({ items: e, aside: null }), keep: () => undefined };
    const { packed } = pack({ detail: { beads: details } }, 2, new PackMemo(), { forms: () => form });
    expect(() => unpackSync(packed, new PackMemo())).toThrow(/form this console does not read/);
  });
});
