// The plan worker keeps a print of each entry of a plan's collections it sent, not the entry (chunked-clone.ts,
// print.ts, plan-print.ts): where two entries have the same print, the console keeps its copy of the old one. So
// the print must differ whenever any value differs, and a field added to BeadInfo or SlotEntry without a line in
// plan-print.ts must fail here.
import { deserialize } from 'node:v8';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyRepairs, plan, slotPlaces, type Plan, type State } from '../../src/engine/index.js';
import { PackMemo, pack, sameData, unpackSync, type Packed, type Printer } from '../../src/console/worker/chunked-clone.js';
import { detailParts, keptDetailParts, planPrinter, printBeadInfo, printSlotEntry } from '../../src/console/worker/plan-print.js';
import { keptPlan, sendablePlan } from '../../src/console/worker/slot-places.js';
import { printData } from '../../src/console/worker/print-data.js';
import { Print64 } from '../../src/console/worker/print.js';
import { JsonNumberText } from '../../src/store/formats/json-text.js';
import { chaosArb } from '../engine/differential-arbitraries.js';
import { city, NOW, pooled, state as stateOf } from '../support/builders.js';
import { PROPERTY_RUNS } from '../support/runs.js';
import { patience } from '../support/wait.js';

const printOf = (printer: Printer, x: unknown): string => {
  const p = new Print64().begin();
  (printer as (x: unknown, p: Print64) => void)(x, p);
  p.end();
  return `${p.hi}:${p.lo}`;
};

/** `v` changed, keeping its type where the field allows it. */
function changed(v: unknown): unknown {
  if (typeof v === 'string') return `${v}x`;
  if (typeof v === 'number') return v + 1;
  if (typeof v === 'boolean') return !v;
  if (v === null) return 'x';
  if (Array.isArray(v)) return [...(v as unknown[]), 'x'];
  throw new Error(`a field of an unexpected kind: ${JSON.stringify(v)}`);
}

/** The printers of plan-print.ts, each with the entries it prints in a plan. */
const printers: [string, Printer, (p: Plan) => object[]][] = [
  ['printBeadInfo', printBeadInfo as Printer, (p) => Object.values(p.detail.beads)],
  ['printSlotEntry', printSlotEntry as Printer, (p) => p.pools.flatMap((x) => x.slots)],
];

describe.each(printers)('%s', (_, printer, entriesOf) => {
  it('differs when any one field of a real entry differs, and is the same for a copy', () => {
    fc.assert(
      fc.property(chaosArb, ({ state }) => {
        for (const entry of entriesOf(plan(state, NOW))) {
          const copy = structuredClone(entry) as Record<string, unknown>;
          expect(printOf(printer, copy)).toBe(printOf(printer, entry));
          // Not a bead detail's id: the memo compares a detail only with the one last sent under the same id.
          for (const k of Object.keys(entry))
            if (!(printer === (printBeadInfo as Printer) && k === 'id'))
              expect(printOf(printer, { ...copy, [k]: changed(copy[k]) }), k).not.toBe(printOf(printer, entry));
          for (const [k, v] of Object.entries(copy))
            if (Array.isArray(v) && v.length > 0)
              expect(printOf(printer, { ...copy, [k]: [`${v[0]}x`, ...v.slice(1)] }), k).not.toBe(printOf(printer, entry));
        }
      }),
      { numRuns: Math.max(10, Math.floor(PROPERTY_RUNS / 4)) },
    );
  });

  it('agrees with the generic comparison on the entries of one plan before and after a round of repairs', () => {
    fc.assert(
      fc.property(chaosArb, ({ state }) => {
        const before = plan(state, NOW);
        const after = entriesOf(plan(applyRepairs(state, before.repairs, { now: NOW }), NOW));
        entriesOf(before).forEach((x, i) => {
          // A bead detail is only ever compared with the one of the same id (the memo's key), which its print leaves out.
          for (const y of [after[i], ...after.slice(0, 3)])
            if (y !== undefined && (printer !== (printBeadInfo as Printer) || (x as { id: string }).id === (y as { id: string }).id))
              expect(printOf(printer, x) === printOf(printer, y), JSON.stringify([x, y])).toBe(sameData(x, y));
        });
      }),
      { numRuns: Math.max(10, Math.floor(PROPERTY_RUNS / 4)) },
    );
  });
});

describe('printData', () => {
  // Any plain data, and a few values that are not: two values get one print exactly when sameData says they are
  // the same (key order, holes and -0 count), and a value sameData cannot compare gets a print of its own.
  const key = fc.oneof(fc.constantFrom('id', 'a', 'b', '__proto__', '0', '1', ''), fc.string({ maxLength: 2 }));
  const leaf = fc.oneof(
    fc.constantFrom<unknown>('', 'a', 'ab', null, undefined, true, false, 0, -0, NaN, 1, -1, 0.5, 2 ** 40, 1n, -1n),
    fc.string({ maxLength: 3 }),
    fc.integer(),
    fc.double(),
  );
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('object')),
    array: fc.tuple(fc.array(tie('tree'), { maxLength: 4 }), fc.array(fc.nat(4), { maxLength: 2 })).map(([items, holes]) => {
      const a = [...items];
      for (const h of holes) if (h < a.length) delete a[h];
      return a;
    }),
    object: fc.tuple(fc.array(fc.tuple(key, tie('tree')), { maxLength: 4 }), fc.boolean()).map(([pairs, bare]) => {
      const o: Record<string, unknown> = bare ? Object.create(null) : {};
      for (const [k, v] of pairs) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
      return o;
    }),
  }));

  /** `v` with its `at`-th value (in a walk of the tree) replaced by `by`: a near miss, or the same when `by` is equal. */
  function near(v: unknown, at: { n: number }, by: unknown): unknown {
    if (at.n-- === 0) return by;
    if (Array.isArray(v)) {
      const a = [...v];
      for (let i = 0; i < v.length; i++) if (Object.hasOwn(v, i)) a[i] = near(v[i], at, by);
      return a;
    }
    if (v !== null && typeof v === 'object') {
      const o: Record<string, unknown> = Object.getPrototypeOf(v) === null ? Object.create(null) : {};
      for (const [k, x] of Object.entries(v)) {
        // A key renamed, as often as a value is replaced (when `by` is a string that is not a key yet).
        const renamed = at.n-- === 0 && typeof by === 'string' && !Object.hasOwn(v, by) ? by : k;
        Object.defineProperty(o, renamed, { value: near(x, at, by), enumerable: true, writable: true, configurable: true });
      }
      return o;
    }
    return v;
  }

  it('gives two values one print exactly when sameData says they are the same', () => {
    fc.assert(
      fc.property(tree, tree, fc.nat(12), leaf, (a, other, at, by) => {
        for (const b of [other, near(a, { n: at }, by), near(a, { n: at }, structuredClone(by))])
          expect(printOf(printData as Printer, a) === printOf(printData as Printer, b)).toBe(sameData(a, b));
      }),
      { numRuns: PROPERTY_RUNS * 25 },
    );
  });

  it('tells apart what a careless print would not, and not a bare object from a plain one', () => {
    const print = (x: unknown) => printOf(printData as Printer, x);
    const bare = Object.assign(Object.create(null) as object, { a: 1 });
    const pairs: [unknown, unknown][] = [
      [true, 1],
      [false, 0],
      [null, undefined],
      ['1', 1],
      [1n, 1],
      [1n, '1'],
      [{ a: 1 }, [1]],
      [{}, []],
      [[], [[]]],
      [{ a: 1 }, { b: 1 }],
      [
        { a: 1, b: 2 },
        { b: 2, a: 1 },
      ],
      [{ a: undefined }, {}],
      [[undefined], new Array(1)],
      [['a', 'b'], ['ab']],
      [{ ab: '' }, { a: 'b' }],
      [[0], [-0]],
      [new JsonNumberText('12345678901234567890'), new JsonNumberText('12345678901234567891')],
      [new JsonNumberText('12345678901234567890'), '12345678901234567890'],
      [new JsonNumberText('12345678901234567890'), { text: '12345678901234567890' }],
    ];
    for (const [a, b] of pairs) {
      expect(sameData(a, b)).toBe(false);
      expect(print(a), String([a, b])).not.toBe(print(b));
    }
    expect(print(bare)).toBe(print({ a: 1 }));
    expect(print([NaN])).toBe(print([NaN]));
    // A number kept as its text is the same as another of that text (sameData says so too).
    expect(print({ p: new JsonNumberText('1e400') })).toBe(print({ p: new JsonNumberText('1e400') }));
  });

  it('gives a value sameData cannot compare a print of its own', () => {
    const d = new Date(0);
    for (const x of [d, [d], { a: new Map() }, () => 1, Symbol('s')])
      expect(printOf(printData as Printer, x)).not.toBe(printOf(printData as Printer, x));
  });
});

describe('Print64', () => {
  // What a print is made of: a sequence of strings, nulls, numbers and lists of strings. Two sequences get the
  // same print only when they are the same values in the same order (Object.is for numbers), however the
  // characters of one could be cut into the fields of the other.
  const part = fc.oneof(
    fc.record({
      s: fc.option(fc.oneof(fc.constantFrom('', 'a', 'ab', 'b', 'null', '\u0000', '\uffff'), fc.string({ maxLength: 5 })), { nil: null }),
    }),
    fc.record({ n: fc.oneof(fc.constantFrom(0, -0, NaN, 1, -1, 2 ** 31, 0.5, Infinity), fc.integer(), fc.double()) }),
    fc.record({ l: fc.array(fc.constantFrom('', 'a', 'ab', 'b'), { maxLength: 3 }) }),
    // More strings than `often` keeps prints of.
    fc.record({ o: fc.option(fc.constantFrom(...'abcdefghijkl'.split('')), { nil: null }) }),
  );
  type Parts = readonly { s?: string | null; n?: number; l?: string[]; o?: string | null }[];
  /**
   * One Print64 for many prints, as a packer uses one for a whole pack (what `often` keeps carries over), or a new
   * one, as the next pack does: a print must not depend on which.
   */
  const shared = new Print64();
  const printParts = (parts: Parts, fresh = false) => {
    const p = (fresh ? new Print64() : shared).begin();
    for (const x of parts)
      if ('s' in x) p.str(x.s!);
      else if ('n' in x) p.num(x.n!);
      else if ('o' in x) p.often(x.o!);
      else p.strs(x.l!);
    p.end();
    return `${p.hi}:${p.lo}`;
  };
  const same = (a: unknown, b: unknown): boolean =>
    typeof a === 'number'
      ? Object.is(a, b)
      : Array.isArray(a)
        ? Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]))
        : a === b;
  /** A null is a null however written (`often` or `str`); a string of a field of a few values is not another string. */
  const kindOf = (x: Record<string, unknown>) => (x.o === null ? 's' : Object.keys(x)[0]);
  const sameParts = (a: readonly Record<string, unknown>[], b: readonly Record<string, unknown>[]) =>
    a.length === b.length && a.every((x, i) => kindOf(x) === kindOf(b[i]) && same(Object.values(x)[0], Object.values(b[i])[0]));

  /** `a` with one part replaced by `by`, or with one character of one of its strings changed: a near miss. */
  const near = (a: Parts, at: number, by: Parts[number], char: number): Parts => {
    if (a.length === 0) return [by];
    const i = at % a.length;
    const x = a[i];
    const s = 's' in x && x.s ? x.s : null;
    const changed = s
      ? { s: s.slice(0, char % s.length) + String.fromCharCode(s.charCodeAt(char % s.length) ^ 1) + s.slice((char % s.length) + 1) }
      : by;
    return [...a.slice(0, i), changed, ...a.slice(i + 1)];
  };

  it('the same sequence of values gives the same print, any other sequence another', () => {
    fc.assert(
      fc.property(
        fc.array(part, { maxLength: 6 }),
        fc.array(part, { maxLength: 6 }),
        fc.nat(),
        part,
        fc.nat(),
        (a, other, at, by, char) => {
          for (const b of [other, near(a, at, by, char)])
            expect(printParts(a) === printParts(b, true), JSON.stringify([a, b])).toBe(sameParts(a, b));
          expect(printParts(a)).toBe(printParts(structuredClone(a), true));
        },
      ),
      { numRuns: PROPERTY_RUNS * 25 },
    );
  });

  it('tells apart what a careless encoding would not', () => {
    const pairs: [Parameters<typeof printParts>[0], Parameters<typeof printParts>[0]][] = [
      [
        [{ s: 'ab' }, { s: '' }],
        [{ s: 'a' }, { s: 'b' }],
      ],
      [[{ s: null }], [{ s: 'null' }]],
      [[{ s: null }], [{ s: '' }]],
      [[{ n: 0 }], [{ n: -0 }]],
      [[{ n: 1 }], [{ s: '\u0001' }]],
      [[{ l: ['a', 'b'] }], [{ l: ['ab'] }]],
      [[{ l: [] }, { l: [] }], [{ n: 0 }]],
      [[{ s: '' }, { s: '' }], [{ n: 0 }]],
      [[{ l: ['a'] }], [{ n: 1 }, { s: 'a' }]],
      [[{ s: 'a\u0000' }], [{ s: 'a' }]],
    ];
    for (const [a, b] of pairs) expect(printParts(a), JSON.stringify([a, b])).not.toBe(printParts(b));
    expect(printParts([{ n: NaN }])).toBe(printParts([{ n: -NaN }]));
  });
});

describe('detailParts', () => {
  // The plan worker packs a plan's bead details a slice at a time (chunked-clone.ts PackOptions.parts): the parts must
  // be the record as it is built whole, its keys in its order and each key's value.
  const partsOf = (p: Plan) => detailParts(p.detail, 'beads');

  it('are the keys and values of detail.beads, in its order, without building it', () => {
    fc.assert(
      fc.property(chaosArb, ({ state }) => {
        const whole = plan(state, NOW).detail.beads;
        const parts = partsOf(plan(state, NOW));
        if (parts === null) {
          expect(Object.keys(whole).some((k) => /^(0|[1-9]\d*)$/.test(k))).toBe(true);
          return;
        }
        expect(parts.ids).toEqual(Object.keys(whole));
        parts.ids.forEach((id, k) => expect(JSON.stringify(parts.at(k))).toBe(JSON.stringify(whole[id])));
      }),
      { numRuns: Math.max(10, Math.floor(PROPERTY_RUNS / 4)) },
    );
  });

  it('keep an id where it first came, with the detail of its last bead; an id that is an array index leaves the record whole', () => {
    const c = city([{ name: 'worker', dir: 'pack', min_active_sessions: 0, max_active_sessions: 5 }]);
    const beads = [
      pooled('b', 'pack/worker', { pool_slot: '1' }),
      pooled('a', 'pack/worker', { pool_slot: '2' }),
      pooled('b', 'pack/worker', { pool_slot: '3' }),
    ];
    const whole = plan(stateOf(c, beads), NOW).detail.beads;
    const parts = partsOf(plan(stateOf(c, beads), NOW))!;
    expect(parts.ids).toEqual(['b', 'a']);
    expect(parts.ids).toEqual(Object.keys(whole));
    expect(parts.at(0)).toEqual(whole.b);
    expect(parts.at(1)).toEqual(whole.a);
    expect(partsOf(plan(stateOf(c, [...beads, pooled('7', 'pack/worker', {})]), NOW))).toBeNull();
    // Once built, the record is read as it is.
    const p = plan(stateOf(c, beads), NOW);
    void p.detail.beads;
    expect(partsOf(p)).toBeNull();
    // Any other record is not read in parts.
    expect(detailParts(p.detail, 'rejected')).toBeNull();
    expect(detailParts({ beads: {} }, 'beads')).toBeNull();
  });
});

describe('a detail unchanged in what it is made of (RecordParts.madeOf)', () => {
  // The plan worker neither makes nor prints the detail of a bead whose object, city and row of the session table are
  // those of the detail it last sent under that id: what it sends must be exactly what making and printing every
  // detail sends, whatever changed between two plans.
  // Above a plan's and its detail's keys (each stays one value, as at the worker's own slice), below most cities' beads.
  const SLICE = 5;
  const change = fc.record({
    what: fc.constantFrom('meta', 'status', 'drop', 'copy', 'city', 'rename'),
    at: fc.nat(),
    key: fc.constantFrom('state', 'alias', 'pool_slot', 'agent_name', 'template', 'session_name', 'alias_history', 'pool_managed'),
    // Most often a value another bead holds under that key: a slot or a name two beads then claim.
    value: fc.oneof(fc.nat(), fc.constantFrom('', '1', '2', '7', 'active', 'asleep', 'zz', 'frontend/worker-1', 'mayor', 'true')),
    max: fc.option(fc.nat(4), { nil: undefined }),
  });
  type Change = typeof change extends fc.Arbitrary<infer T> ? T : never;
  /** `s` with one change; the beads it leaves alone are the same objects. */
  const changed = (s: State, c: Change, n: number): State => {
    const beads = [...s.beads];
    const i = beads.length ? c.at % beads.length : -1;
    if (c.what === 'city' && s.city.agents.length > 0) {
      const agents = s.city.agents.map((a, k) => (k === c.at % s.city.agents.length ? { ...a, max_active_sessions: c.max } : a));
      return { ...s, city: { ...s.city, agents } };
    }
    if (i < 0) return s;
    const b = beads[i];
    const value = typeof c.value === 'string' ? c.value : (beads[c.value % beads.length].metadata?.[c.key] ?? '');
    if (c.what === 'meta') beads[i] = { ...b, metadata: { ...b.metadata, [c.key]: value } };
    if (c.what === 'status') beads[i] = { ...b, status: b.status === 'closed' ? 'open' : 'closed' };
    if (c.what === 'drop') beads.splice(i, 1);
    if (c.what === 'copy') beads.push({ ...b, id: `${b.id}-${n}` });
    // Another bead's id (two beads of one id: the record keeps the last) or a new one, at the same place.
    if (c.what === 'rename') beads[i] = { ...b, id: typeof c.value === 'string' ? `${b.id}${c.value}` : beads[c.value % beads.length].id };
    return { ...s, beads };
  };
  /** The same parts with nothing said of what the details are made of: every detail made and printed. */
  const everyDetail = (owner: object, key: string) => {
    const parts = detailParts(owner, key);
    return parts && { ...parts, madeOf: undefined };
  };
  // The slices, where the details travel (the head, the value's small rest, is serialized from the same value either way).
  // The slices as they arrive: the same values and memo references. Not their bytes: a string can be serialized one-byte
  // or two-byte as V8 happens to hold it (a detail kept from the last plan against one made anew), the same text either way.
  const sent = (packed: Packed) => packed.pieces.flatMap((p) => p.slices).map((u) => deserialize(u) as unknown);

  // The suite's slowest case (about 9 s at 40 cases on a quiet machine, 22 s at load 5): given time for a loaded one.
  /** What a pack says of the pieces' id orders (RecordParts.idOrder, in the head). */
  const orders = (packed: Packed) => packed.pieces.map((p) => (p.idOrder ? [...p.idOrder] : p.idOrder));

  it(
    'a plan after any changes is sent as when every detail and key is made and printed, and arrives as made',
    { timeout: patience(60_000 + PROPERTY_RUNS * 2_000) },
    () => {
      fc.assert(
        fc.property(
          chaosArb,
          fc.array(fc.array(change, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
          ({ state }, rounds) => {
            const memos = { fast: new PackMemo(), every: new PackMemo(), got: new PackMemo() };
            let s = state;
            let n = 0;
            for (const round of [[], ...rounds]) {
              for (const c of round) s = changed(s, c, n++);
              const made = plan(s, NOW);
              const value = { plan: sendablePlan(made) };
              // The worker's: the details' keys and id order kept from the last plan while they hold.
              const parts = keptDetailParts(memos.fast);
              const fast = pack(value, SLICE, memos.fast, { adopt: true, print: planPrinter, parts }).packed;
              const every = pack(value, SLICE, memos.every, { adopt: true, print: planPrinter, parts: everyDetail }).packed;
              expect(sent(fast)).toEqual(sent(every));
              expect(orders(fast)).toEqual(orders(every));
              const got = keptPlan(unpackSync<{ plan: Plan }>(fast, memos.got).plan, s);
              expect(JSON.stringify(got)).toBe(JSON.stringify(plan(s, NOW)));
            }
          },
        ),
        { numRuns: PROPERTY_RUNS },
      );
    },
  );

  it('one bead changed in 2 000: only its detail is made again', () => {
    const c = city([{ name: 'worker', dir: 'pack', min_active_sessions: 0, max_active_sessions: 3000 }]);
    const beads = Array.from({ length: 2000 }, (_, i) =>
      pooled(`w${i + 1}`, 'pack/worker', { pool_slot: String(i + 1), agent_name: `pack/worker-${i + 1}`, alias: `pack/worker-${i + 1}` }),
    );
    let made = 0;
    const counted = (owner: object, key: string) => {
      const parts = detailParts(owner, key);
      return parts && { ...parts, at: (k: number) => (made++, parts.at(k)) };
    };
    const memos = { sent: new PackMemo(), got: new PackMemo() };
    const send = (s: State) => {
      const value = { plan: sendablePlan(plan(s, NOW)) };
      const packed = pack(value, 100, memos.sent, { adopt: true, print: planPrinter, parts: counted }).packed;
      return keptPlan(unpackSync<{ plan: Plan }>(packed, memos.got).plan, s);
    };
    const before = send(stateOf(c, beads));
    expect(made).toBe(2000);
    const next = [...beads];
    next[1234] = { ...next[1234], metadata: { ...next[1234].metadata, state: 'zz-changed' } };
    made = 0;
    const after = send(stateOf(c, next));
    expect(made).toBe(1);
    expect(after.detail.beads.w1235.knownState).toBe(false);
    expect(JSON.stringify(after)).toBe(JSON.stringify(plan(stateOf(c, next), NOW)));
    // The console keeps its own object of every other detail.
    expect(Object.keys(after.detail.beads).filter((id) => after.detail.beads[id] !== before.detail.beads[id])).toEqual(['w1235']);
  });
});

describe("the details' keys kept from the last plan packed against a memo (keptDetailParts)", () => {
  // Making a record's keys, a Map of every open session's id, took 50-100 ms of the plan worker a refresh at 100 000
  // beads; the keys of a plan whose open sessions have the places and ids of the last one's are the same.
  const c = city([{ name: 'worker', dir: 'pack', min_active_sessions: 0, max_active_sessions: 3000 }]);
  const beads = Array.from({ length: 2000 }, (_, i) =>
    pooled(`w${i + 1}`, 'pack/worker', { pool_slot: String(i + 1), agent_name: `pack/worker-${i + 1}`, alias: `pack/worker-${i + 1}` }),
  );
  const partsOf = (memo: object, s: State) => keptDetailParts(memo)(plan(s, NOW).detail, 'beads')!;
  const withState = (at: number, state: string) => {
    const next = [...beads];
    next[at] = { ...next[at], metadata: { ...next[at].metadata, state } };
    return next;
  };

  it("are the last plan's while the sessions keep their places and ids, whatever another memo's plans were", () => {
    const memo = new PackMemo();
    const first = partsOf(memo, stateOf(c, beads));
    const order = first.idOrder!();
    // The refresh warm-up's plans, of a part of the city, against a memo of their own.
    partsOf(new PackMemo(), stateOf(c, beads.slice(-100)));
    const after = stateOf(c, withState(1234, 'zz-changed'));
    const second = partsOf(memo, after);
    expect(second.ids).toBe(first.ids);
    expect(second.idOrder!()).toBe(order);
    expect(second.ids).toEqual(detailParts(plan(after, NOW).detail, 'beads')!.ids);
    expect(JSON.stringify(second.at(1234))).toBe(JSON.stringify(plan(after, NOW).detail.beads.w1235));
  });

  it('are made again when a session moves, closes, comes or changes its id', () => {
    const memo = new PackMemo();
    const first = partsOf(memo, stateOf(c, beads));
    const moved = [beads[1], beads[0], ...beads.slice(2)];
    const closed = beads.map((b, i) => (i === 7 ? { ...b, status: 'closed' } : b));
    const renamed = beads.map((b, i) => (i === 7 ? { ...b, id: 'w1' } : b));
    const added = [...beads, pooled('w9999', 'pack/worker', {})];
    for (const next of [moved, closed, renamed, added, beads]) {
      const parts = partsOf(memo, stateOf(c, next));
      expect(parts.ids).not.toBe(first.ids);
      expect(parts.ids).toEqual(detailParts(plan(stateOf(c, next), NOW).detail, 'beads')!.ids);
    }
  });
});

describe("a pool's slots sent as entries (planPrinter's slot printer)", () => {
  // The plan worker sends a pool's slots as their places (slot-places.ts) when the engine has them, and as entries
  // otherwise (a pool whose slots were written has none). Entries are a collection of the plan's (`pools.N.slots`),
  // kept by the memo as prints keyed by position (a slot entry has no id): printSlotEntry's. Two plans sent so must
  // arrive as made, an unchanged entry as the object received before and a changed one anew.
  const c = city([{ name: 'worker', dir: 'pack', min_active_sessions: 0, max_active_sessions: 10 }]);
  // Above a pool's 7 keys (a pool stays one value, as at the worker's own slice), below its 8 slots.
  const SLICE = 7;
  const stateWith = (awake: string | null): State =>
    stateOf(
      c,
      Array.from({ length: 8 }, (_, i) =>
        pooled(`w${i + 1}`, 'pack/worker', {
          pool_slot: String(i + 1),
          agent_name: `pack/worker-${i + 1}`,
          alias: `pack/worker-${i + 1}`,
          state: `w${i + 1}` === awake ? 'active' : 'asleep',
        }),
      ),
    );
  /** The plan of `s` as the worker sends it with its pools' places gone, packed and unpacked through the two memos. */
  const sent = (s: State, memos: { sent: PackMemo; got: PackMemo }): { made: Plan; got: Plan } => {
    const made = plan(s, NOW);
    for (const pool of made.pools) pool.slots = [...pool.slots];
    expect(made.pools.every((pool) => slotPlaces(pool) === null)).toBe(true);
    const { packed } = pack({ plan: sendablePlan(made) }, SLICE, memos.sent, { adopt: true, print: planPrinter, parts: detailParts });
    return { made, got: keptPlan(unpackSync<{ plan: Plan }>(packed, memos.got).plan, s) };
  };

  it('arrive as the engine made them; an entry unchanged is the object received before, a changed one is new', () => {
    const memos = { sent: new PackMemo(), got: new PackMemo() };
    const first = sent(stateWith(null), memos);
    expect(first.got.pools[0].slots).toHaveLength(8);
    expect(first.got.pools.map((p) => p.slots)).toEqual(first.made.pools.map((p) => p.slots));
    expect(planPrinter('pools.0.slots')).toBe(printSlotEntry);
    expect(memos.sent.collections.get('pools.0.slots')?.printed?.keys).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);

    const second = sent(stateWith('w5'), memos);
    expect(second.got.pools.map((p) => p.slots)).toEqual(second.made.pools.map((p) => p.slots));
    const now = second.got.pools[0].slots;
    expect(now[4]).toMatchObject({ beadId: 'w5', state: 'active' });
    expect(now.map((x, k) => x === first.got.pools[0].slots[k])).toEqual([true, true, true, true, false, true, true, true]);
  });
});
