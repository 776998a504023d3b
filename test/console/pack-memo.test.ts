// A refresh through the plan worker sends only what changed: entries of big collections the console already
// holds travel as their place in its memo (chunked-clone.ts). What arrives must still be exactly what was
// sent, and an unchanged entry is the console's own object from the last refresh (its rows stay valid).
import { writeFileSync } from 'node:fs';
import { serialize } from 'node:v8';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  MemoOutOfStep,
  pack,
  packer,
  PackedStream,
  PackMemo,
  recordValues,
  sameData,
  SharedValues,
  unpack,
  unpackedById,
  unpackSync,
  type Key,
  type PackedPart,
} from '../../src/console/worker/chunked-clone.js';
import { inProcessJobs } from '../../src/console/jobs.js';
import { detailParts, planPrinter } from '../../src/console/worker/plan-print.js';
import type { Print64 } from '../../src/console/worker/print.js';
import { applyRepairs, plan, type Plan } from '../../src/engine/index.js';
import { chaosArb } from '../engine/differential-arbitraries.js';
import { createJobs } from '../../src/console/worker/worker-client.js';
import { JsonNumberText } from '../../src/store/formats/json-text.js';
import type { Source } from '../../src/store/types.js';
// @ts-expect-error a plain .mjs script without types
import { generateStore } from '../../scripts/gen-store.mjs';
import { NOW } from '../support/builders.js';
import { built } from '../support/built.js';
import { tempDir } from '../support/files.js';
import { PROPERTY_RUNS } from '../support/runs.js';
import { dataTree } from '../support/data-trees.js';

/** JSON with key order, so a reordered object is told apart (toEqual ignores key order). */
const text = (v: unknown) => JSON.stringify(v);

describe('sameData', () => {
  test('equal plain data, key order and holes included; anything else differs', () => {
    expect(sameData({ a: 1, b: [1, { c: 'x' }] }, { a: 1, b: [1, { c: 'x' }] })).toBe(true);
    expect(sameData({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
    expect(sameData({ a: undefined }, {})).toBe(false);
    expect(sameData([1, , 3], [1, undefined, 3])).toBe(false); // eslint-disable-line no-sparse-arrays
    expect(sameData(NaN, NaN)).toBe(true);
    expect(sameData(0, -0)).toBe(false);
    expect(sameData([0], [-0])).toBe(false);
    expect(sameData({ a: -0 }, { a: 0 })).toBe(false);
    expect(sameData([NaN, { a: NaN }], [NaN, { a: NaN }])).toBe(true);
    expect(sameData('1', 1)).toBe(false);
    expect(sameData(null, {})).toBe(false);
    expect(sameData([], {})).toBe(false);
    expect(sameData(new Date(0), new Date(0))).toBe(false);
  });

  test('two numbers kept as their text (a priority beyond 2^53) are the same when their texts are', () => {
    const big = (t: string) => new JsonNumberText(t);
    expect(sameData({ priority: big('12345678901234567890') }, { priority: big('12345678901234567890') })).toBe(true);
    expect(sameData([big('1e400')], [big('1e400')])).toBe(true);
    expect(sameData(big('12345678901234567890'), big('12345678901234567891'))).toBe(false);
    expect(sameData(big('12345678901234567890'), { text: '12345678901234567890' })).toBe(false);
    expect(sameData(big('12345678901234567890'), '12345678901234567890')).toBe(false);
    expect(sameData(big('12345678901234567890'), Number('12345678901234567890'))).toBe(false);
  });
});

// A value shaped like a refresh's result: an array of entries with ids (some missing, some repeated) and a
// record of entries by key, each bigger than a slice.
const entry = fc.record({ id: fc.option(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'), { nil: undefined }), v: fc.nat(3) });
const detailKey = fc.constantFrom('k1', 'k2', 'k3', 'k4', 'k5', 'k6');
/** A record keyed by its values' ids (as the bead details are): its values travel alone. */
const byId = fc.dictionary(detailKey, fc.nat(3)).map((d) => Object.fromEntries(Object.entries(d).map(([k, v]) => [k, { id: k, v }])));
const value = fc.record({
  loaded: fc.record({ state: fc.record({ beads: fc.array(entry, { maxLength: 14 }) }) }),
  plan: fc.record({ detail: fc.record({ beads: fc.oneof(fc.dictionary(detailKey, entry), byId) }) }),
});

/**
 * A print of any entry from its structured-clone bytes: what tells two entries apart, whatever their shape. Of a
 * clone, so that two equal entries get the same bytes (V8 writes a number as it holds it: 1 as an integer or a
 * double).
 */
const printClone = (x: unknown, p: Print64) => p.str(serialize(structuredClone(x)).toString('latin1'));

describe('a memo shared by sender and receiver', () => {
  test('each value in a sequence arrives exactly as sent; an entry equal to one last sent is the object received then', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 6 }), fc.boolean(), fc.boolean(), (values, adopt, printed) => {
        const sent = new PackMemo();
        const got = new PackMemo();
        // The sender keeps prints instead of the entries of both collections (and adopts none of them).
        const print = printed ? () => printClone : undefined;
        let last: (typeof values)[number] | null = null;
        let lastSent: (typeof values)[number] | null = null;
        for (const v of values) {
          const before = text(v);
          const r = unpackSync<typeof v>(pack(v, 2, sent, { adopt, print }).packed, got);
          expect(text(v)).toBe(before); // adopting swaps objects for equal ones, never data
          expect(text(r)).toBe(text(v));
          expect(r).toEqual(v);
          if (last && lastSent) {
            // An entry equal to the one at the same id (array) or key (record) last time is the same object.
            const prevBeads = last.loaded.state.beads;
            r.loaded.state.beads.forEach((b, i) => {
              const j = prevBeads.findIndex((p) => p === b);
              if (j >= 0) expect(text(lastSent!.loaded.state.beads[j])).toBe(text(v.loaded.state.beads[i]));
            });
            // (Only collections bigger than a slice are memo'd: both times.)
            const big = (rec: object) => Object.keys(rec).length > 2;
            if (big(last.plan.detail.beads) && big(r.plan.detail.beads))
              for (const [k, x] of Object.entries(r.plan.detail.beads)) {
                const p = last.plan.detail.beads[k];
                if (p !== undefined && sameData(p, x)) expect(x).toBe(p);
              }
          }
          last = r;
          lastSent = v;
        }
      }),
      { numRuns: PROPERTY_RUNS * 5 },
    );
  });

  test('plans through a memo that keeps prints of their collections: each arrives as a plain clone; an unchanged entry is the object received before', () => {
    /** What is packed of a plan, and what of it is looked at. */
    type Part = { detail: { beads: Plan['detail']['beads'] }; repairs: Plan['repairs'] };
    // With a slice of 5, a plan's big parts are collections, as the worker packs them at 100 000 beads; with 2 the
    // plan would be one (one big record), so the details alone are packed, under their own name.
    const shapes = {
      5: { wrap: (v: Plan): unknown => ({ plan: v }), view: (r: unknown): Part => (r as { plan: Plan }).plan },
      2: {
        wrap: (v: Plan): unknown => ({ detail: { beads: v.detail.beads } }),
        view: (r: unknown): Part => ({ ...(r as Pick<Part, 'detail'>), repairs: [] }),
      },
    };
    fc.assert(
      fc.property(
        chaosArb,
        fc.array(fc.nat(2), { minLength: 2, maxLength: 5 }),
        fc.constantFrom(2 as const, 5 as const),
        fc.boolean(),
        ({ state }, order, slice, inParts) => {
          const { wrap, view } = shapes[slice];
          // Plans of one city: as read, after a round of repairs, after one more repair; in any order, repeats included.
          const second = applyRepairs(state, plan(state, NOW).repairs, { now: NOW });
          const states = [state, second, applyRepairs(second, plan(second, NOW).repairs.slice(0, 1), { now: NOW })];
          const sent = new PackMemo();
          const got = new PackMemo();
          let last: { sent: Part; got: Part } | null = null;
          for (const i of order) {
            // A new plan each time, its details built anew, as every refresh of the plan worker makes them.
            const value = wrap(plan(states[i], NOW));
            // As the plan worker packs (its bead details read a slice at a time), or with the record built whole.
            const r = unpackSync(
              pack(value, slice, sent, { adopt: true, print: planPrinter, ...(inParts ? { parts: detailParts } : {}) }).packed,
              got,
            );
            expect(text(r)).toBe(text(structuredClone(value)));
            expect(r).toEqual(structuredClone(value));
            const now = { sent: view(value), got: view(r) };
            // Only a collection bigger than a slice is memo'd.
            const big = (x: object) => Object.keys(x).length > slice;
            if (last && big(last.sent.detail.beads) && big(now.sent.detail.beads))
              for (const [id, info] of Object.entries(now.got.detail.beads)) {
                const before = Object.hasOwn(last.sent.detail.beads, id) ? last.sent.detail.beads[id] : undefined;
                expect(info === last.got.detail.beads[id], id).toBe(before !== undefined && sameData(before, now.sent.detail.beads[id]));
              }
            if (last && big(last.sent.repairs) && big(now.sent.repairs))
              now.got.repairs.forEach((x, k) => {
                const at = last!.sent.repairs.findLastIndex((y) => y.id === x.id);
                expect(at >= 0 && x === last!.got.repairs[at], x.id).toBe(at >= 0 && sameData(last!.sent.repairs[at], now.sent.repairs[k]));
              });
            last = now;
          }
        },
      ),
      { numRuns: Math.max(10, Math.floor(PROPERTY_RUNS / 2)) },
    );
  });

  test('one entry changed in 5 000: only it travels, the rest are the objects the receiver already holds', async () => {
    const beads = Array.from({ length: 5000 }, (_, i) => ({ id: `b${i}`, metadata: { state: 'awake' } }));
    const sent = new PackMemo();
    const got = new PackMemo();
    const first = await unpack<{ beads: typeof beads }>(pack({ beads }, 2000, sent).packed, got);
    const next = beads.map((b) => structuredClone(b));
    next[1234].metadata.state = 'asleep';
    const { packed } = pack({ beads: next }, 2000, sent);
    const bytes = packed.pieces.flatMap((p) => p.slices).reduce((n, s) => n + s.byteLength, 0);
    const second = await unpack<{ beads: typeof beads }>(packed, got);
    expect(second.beads).toEqual(next);
    expect(second.beads.filter((b, i) => b !== first.beads[i]).map((b) => b.id)).toEqual(['b1234']);
    // 5 000 places (4 bytes each) and one bead, against ~40 bytes a bead sent whole.
    expect(bytes).toBeLessThan(5000 * 4 + 1000);
  });

  test('a collection received through the memo is held once: the list handed over (an array, a record’s values by id) is the memo’s, at the new length', () => {
    const sent = new PackMemo();
    const got = new PackMemo();
    type V = { beads: { id: string; v: number }[]; detail: { beads: Record<string, { id: string; v: number }> } };
    const make = (n: number, changed: number): V => {
      const beads = Array.from({ length: n }, (_, i) => ({ id: `b${i}`, v: i === changed ? 1 : 0 }));
      return { beads, detail: { beads: Object.fromEntries(beads.map((b) => [b.id, { ...b }])) } };
    };
    // As many entries as last time, fewer, more, and the same again.
    for (const [n, changed] of [
      [30, -1],
      [30, 4],
      [23, 4],
      [41, 40],
      [41, -1],
    ]) {
      const v = make(n, changed);
      const r = unpackSync<V>(pack(v, 5, sent).packed, got);
      const values = unpackedById(r.detail, 'beads');
      expect(got.collections.get('beads')?.entries).toBe(r.beads);
      expect(values).toBeDefined();
      expect(got.collections.get('detail.beads')?.entries).toBe(values);
      // No hole, nothing past the end: the lists are the entries sent.
      expect(Object.keys(r.beads)).toHaveLength(n);
      expect(Object.keys(values!)).toHaveLength(n);
      expect(text(values)).toBe(text(Object.values(v.detail.beads)));
      expect(text(r)).toBe(text(v));
    }
  });

  test('beads holding a priority beyond 2^53, read again unchanged, stay where they were: only the changed one travels', () => {
    const sent = new PackMemo();
    const got = new PackMemo();
    const read = () =>
      Array.from({ length: 50 }, (_, i) => ({
        id: `b${i}`,
        priority: new JsonNumberText(`1234567890123456789${i % 10}`),
        metadata: { state: 'awake' },
      }));
    const first = unpackSync<{ beads: ReturnType<typeof read> }>(pack({ beads: read() }, 10, sent).packed, got);
    const next = read(); // a new read: new objects, new JsonNumberText, equal texts
    next[7].metadata.state = 'asleep';
    const { packed } = pack({ beads: next }, 10, sent);
    const second = unpackSync<{ beads: ReturnType<typeof read> }>(packed, got);
    expect(second.beads.filter((b, i) => b !== first.beads[i]).map((b) => b.id)).toEqual(['b7']);
    expect(second.beads[7].priority).toBeInstanceOf(JsonNumberText);
    expect(second.beads.map((b) => b.priority.text)).toEqual(next.map((b) => b.priority.text));
  });

  test('adopting: the packed array takes the memo’s object for each unchanged entry, so a sender keeps one copy', () => {
    const sent = new PackMemo();
    const got = new PackMemo();
    const beads = Array.from({ length: 5 }, (_, i) => ({ id: `b${i}`, metadata: { state: 'awake' } }));
    unpackSync(pack({ beads }, 2, sent, { adopt: true }).packed, got);
    const next = structuredClone(beads);
    next[3].metadata.state = 'asleep';
    const r = unpackSync<{ beads: typeof beads }>(pack({ beads: next }, 2, sent, { adopt: true }).packed, got);
    expect(next.map((b, i) => b === beads[i])).toEqual([true, true, true, false, true]);
    expect(text(r.beads)).toBe(text(next));
    expect(next[3].metadata.state).toBe('asleep');
  });

  test('a big record unpacked hands its values over in Object.values order, numeric and __proto__ keys included', () => {
    const key = fc.oneof(fc.constantFrom('__proto__', '0', '7', '10', '4294967295', '01', 'b-1'), fc.string({ maxLength: 4 }));
    fc.assert(
      fc.property(fc.uniqueArray(key, { maxLength: 12 }), fc.boolean(), fc.boolean(), (keys, memo, keyedById) => {
        const rec: Record<string, { k: string } | { id: string }> = {};
        for (const k of keys)
          Object.defineProperty(rec, k, { value: keyedById ? { id: k } : { k }, enumerable: true, writable: true, configurable: true });
        const sent = memo ? new PackMemo() : undefined;
        const got = memo ? new PackMemo() : undefined;
        for (let round = 0; round < 2; round++) {
          const r = unpackSync<{ rec: typeof rec }>(pack({ rec }, 3, sent).packed, got).rec;
          expect(text(recordValues(r))).toBe(text(Object.values(rec)));
          expect(recordValues(r)).toEqual(Object.values(r));
        }
      }),
      { numRuns: PROPERTY_RUNS * 5 },
    );
    // Without numeric keys the list is the one kept as the record was filled, not a new one each call.
    const big = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`b${i}`, { i }]));
    const r = unpackSync<{ big: typeof big }>(pack({ big }, 3).packed).big;
    expect(recordValues(r)).toBe(recordValues(r));
  });

  test('a receiver whose memo is not the sender’s says so instead of making up entries', () => {
    const sent = new PackMemo();
    const beads = Array.from({ length: 10 }, (_, i) => ({ id: `b${i}` }));
    unpackSync(pack({ beads }, 3, sent).packed, new PackMemo());
    expect(() => unpackSync(pack({ beads }, 3, sent).packed, new PackMemo())).toThrow(MemoOutOfStep);
  });

  test('a place that holds a long list in one value and a long record in the next, and back, arrives as sent each time', () => {
    // A bead's field can be an array in one read of a store and an object in the next; fast-check found the list's
    // items read as a record's [key, value] pairs (a TypeError on the first null).
    const sent = new PackMemo();
    const got = new PackMemo();
    const values = [
      { x: [null, 1, null, 2] },
      { x: { a: 1, b: 2, c: 3, d: 4 } },
      { x: [['a', 1], null, ['c', 3], ['d', 4]] },
      { x: { a: 1, b: 2, c: 3, d: 4 } },
      { x: [null, 1, null, 2] },
    ];
    for (const v of values) expect(text(unpackSync(pack(v, 3, sent).packed, got))).toBe(text(v));
  });
});

describe('shared values', () => {
  // Unpacked entries get one string per repeated value: never anything but an equal string, whatever the data,
  // its keys (__proto__, numeric) or how many values a field has (a small cap gives fields up early).
  const word = fc.constantFrom('a', 'b', 'awake', 'asleep', 'backend/builder', '', '__proto__', '0');
  const leaf = fc.oneof(word, fc.string({ maxLength: 3 }), fc.integer(), fc.boolean(), fc.constant(null));
  const key = fc.oneof(fc.constantFrom('id', 'state', 'alias', 'agent_name', '__proto__', '0', '12'), fc.string({ maxLength: 2 }));
  const tree = dataTree(leaf, key);

  test('sharing leaves every value as it was, across many slices of one table', () => {
    fc.assert(
      fc.property(fc.array(fc.array(tree, { maxLength: 6 }), { maxLength: 5 }), fc.integer({ min: 1, max: 4 }), (slices, cap) => {
        const shared = new SharedValues(cap);
        for (const items of slices) {
          const before = text(items);
          const keys = text(items.map((x) => (x !== null && typeof x === 'object' ? Object.keys(x) : [])));
          shared.shareAll(items);
          expect(text(items)).toBe(before);
          expect(text(items.map((x) => (x !== null && typeof x === 'object' ? Object.keys(x) : [])))).toBe(keys);
        }
      }),
      { numRuns: PROPERTY_RUNS * 5 },
    );
  });

  test('a value unpacked through a memo is the value sent, over more distinct values than a field keeps', () => {
    const sent = new PackMemo();
    const got = new PackMemo();
    for (let round = 0; round < 3; round++) {
      const beads = Array.from({ length: 9000 }, (_, i) => ({
        id: `b${i}`,
        labels: ['gc:session', `agent:a-${i}`],
        metadata: { state: i % 3 ? 'awake' : 'asleep', agent_name: `a-${i}`, alias: `a-${i}`, pool_slot: String(i % (round + 1) ? i : 7) },
        created_at: `2026-05-0${round + 1}T00:00:00Z`,
      }));
      const r = unpackSync<{ beads: typeof beads }>(pack({ beads }, 2000, sent).packed, got);
      expect(text(r)).toBe(text({ beads }));
    }
  });
});

describe('a pack streamed as it is made', () => {
  /** `v` packed with its slices handed over one by one, as the plan worker sends them. */
  const streamed = <T extends object>(v: T, sent: PackMemo, ahead?: (v: T) => [object, Key[]]) => {
    const parts: PackedPart[] = [];
    const p = packer(2, sent, {
      emit: (part, t) => {
        expect(t).toEqual([part.slice.buffer]);
        parts.push(part);
      },
    });
    if (ahead) p.ahead(...ahead(v));
    const { packed, transfer } = p.done(v);
    return { parts, packed, transfer };
  };

  test('each value in a sequence arrives as the same pack unstreamed would make it, the memo included', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(value, { minLength: 1, maxLength: 4 }), fc.boolean(), async (values, readFirst) => {
        const sent = [new PackMemo(), new PackMemo()];
        const got = [new PackMemo(), new PackMemo()];
        for (const v of values) {
          const whole = unpackSync<typeof v>(pack(v, 2, sent[0]).packed, got[0]);
          // The read's state sent ahead of its plan, as the plan worker does, or all of it at the end.
          const { parts, packed, transfer } = streamed(v, sent[1], readFirst ? (x) => [x.loaded, ['loaded']] : undefined);
          // Only the head stays in the reply; every slice went ahead.
          expect(packed.pieces.every((p) => p.slices.length === 0)).toBe(true);
          expect(transfer).toHaveLength(1);
          const s = new PackedStream<typeof v>(got[1]);
          for (const part of parts) s.push(part);
          s.end(packed);
          const r = await s.value;
          expect(text(r)).toBe(text(whole));
          // Each slice's memory was let go as soon as it was unpacked (its buffer is detached).
          expect(parts.map((p) => p.slice.byteLength)).toEqual(parts.map(() => 0));
          expect(text([...got[1].collections])).toBe(text([...got[0].collections]));
        }
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });

  test('each slice is unpacked over three turns of the event loop (deserialized, its values shared, put in place)', async () => {
    const beads = Array.from({ length: 6 }, (_, i) => ({ id: `b${i}`, metadata: { state: i % 2 ? 'on' : 'off' } }));
    /** Turns of the event loop (setImmediate callbacks) while `f` runs. */
    const turnsDuring = async (f: () => Promise<unknown>) => {
      let turns = 0;
      let on = true;
      const tick = () => {
        if (!on) return;
        turns++;
        setImmediate(tick);
      };
      setImmediate(tick);
      await f();
      on = false;
      return turns;
    };
    const whole = pack({ beads }, 2).packed;
    expect(whole.pieces[0].slices).toHaveLength(3);
    expect(await turnsDuring(() => unpack(whole))).toBeGreaterThanOrEqual(9);
    const { parts, packed } = streamed({ beads }, new PackMemo());
    expect(parts).toHaveLength(3);
    const s = new PackedStream<{ beads: typeof beads }>(new PackMemo());
    for (const part of parts) s.push(part);
    s.end(packed);
    expect(await turnsDuring(() => s.value)).toBeGreaterThanOrEqual(9);
    expect(text(await s.value)).toBe(text({ beads }));
  });

  test('a stream that fails half-way gives no value and leaves the memo as it was', async () => {
    const sent = new PackMemo();
    const got = new PackMemo();
    const beads = Array.from({ length: 9 }, (_, i) => ({ id: `b${i}` }));
    unpackSync(pack({ beads }, 3, sent).packed, got);
    const before = got.collections;
    const { parts } = streamed({ beads: beads.slice(1) }, new PackMemo());
    const s = new PackedStream(got);
    s.push(parts[0]);
    s.fail(new Error('the plan worker exited'));
    await expect(s.value).rejects.toThrow('the plan worker exited');
    expect(got.collections).toBe(before);
  });
});

describe('refreshes through the plan worker', () => {
  let dir = '';
  beforeAll(() => {
    dir = tempDir('gc-tui-memo-');
  });

  test('a re-read after one bead changed: the same result as in-process; unchanged beads and details are the objects of the last read', async () => {
    const file = join(dir, 'store.json');
    const doc = generateStore({ beads: 5000, seed: 3 }) as { beads: { id: string; metadata: Record<string, string> }[] };
    writeFileSync(file, JSON.stringify(doc));
    const source: Source = { kind: 'store', path: file };
    const jobs = createJobs({ worker: pathToFileURL(built('plan-worker.js')) });
    try {
      expect(jobs.kind).toBe('worker');
      const a = await jobs.load(source, () => NOW);
      const changed = doc.beads[2500];
      changed.metadata = { ...changed.metadata, state: 'zz-changed' };
      writeFileSync(file, JSON.stringify(doc));
      const b = await jobs.load(source, () => NOW);
      const l = await inProcessJobs().load(source, () => NOW);
      expect(text(b.loaded.state)).toBe(text(l.loaded.state));
      expect(text(b.plan)).toBe(text(l.plan));
      const fresh = b.loaded.state.beads.filter((x, i) => x !== a.loaded.state.beads[i]).map((x) => x.id);
      expect(fresh).toEqual([changed.id]);
      const infos = Object.keys(b.plan.detail.beads);
      const sameInfos = infos.filter((k) => b.plan.detail.beads[k] === a.plan.detail.beads[k]).length;
      expect(sameInfos).toBeGreaterThan(infos.length - 10);
      // A re-plan of what the worker holds comes back whole too.
      expect(text(await jobs.plan(b.loaded.state, NOW))).toBe(text(l.plan));
    } finally {
      await jobs.close();
    }
  });
});
