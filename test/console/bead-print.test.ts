// The plan worker keeps a print of each bead detail it sent, not the detail (chunked-clone.ts, print.ts): where
// two details have the same print, the console keeps its copy of the old one. So the print must differ whenever
// any value differs, and a field added to BeadInfo without a line in bead-print.ts must fail here.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyRepairs, plan, type BeadInfo } from '../../src/engine/index.js';
import { sameData } from '../../src/console/worker/chunked-clone.js';
import { printBeadInfo } from '../../src/console/worker/bead-print.js';
import { Print64 } from '../../src/console/worker/print.js';
import { chaosArb } from '../engine/differential-arbitraries.js';
import { NOW } from '../support/builders.js';
import { PROPERTY_RUNS } from '../support/runs.js';

const printOf = (info: BeadInfo): string => {
  const p = new Print64().begin();
  printBeadInfo(info, p);
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
  throw new Error(`a BeadInfo field of an unexpected kind: ${JSON.stringify(v)}`);
}

describe('printBeadInfo', () => {
  it('differs when any one field of a real bead detail differs, and is the same for a copy', () => {
    fc.assert(
      fc.property(chaosArb, ({ state }) => {
        for (const info of Object.values(plan(state, NOW).detail.beads)) {
          const copy = structuredClone(info);
          expect(printOf(copy)).toBe(printOf(info));
          for (const k of Object.keys(info) as (keyof BeadInfo)[]) {
            const other = { ...copy, [k]: changed(copy[k]) } as BeadInfo;
            expect(printOf(other), k).not.toBe(printOf(info));
          }
          if (info.liveWork.length > 0) {
            const other = { ...copy, liveWork: [`${info.liveWork[0]}x`, ...info.liveWork.slice(1)] };
            expect(printOf(other)).not.toBe(printOf(info));
          }
        }
      }),
      { numRuns: Math.max(10, Math.floor(PROPERTY_RUNS / 4)) },
    );
  });

  it('agrees with the generic comparison on the details of one bead before and after a round of repairs', () => {
    fc.assert(
      fc.property(chaosArb, ({ state }) => {
        const before = plan(state, NOW);
        const after = plan(applyRepairs(state, before.repairs, { now: NOW }), NOW).detail.beads;
        for (const [id, info] of Object.entries(before.detail.beads)) {
          // Own keys only: a bead may be called `constructor`.
          const other = Object.hasOwn(after, id) ? after[id] : undefined;
          if (other) expect(printOf(info) === printOf(other), id).toBe(sameData(info, other));
        }
      }),
      { numRuns: Math.max(10, Math.floor(PROPERTY_RUNS / 4)) },
    );
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
  );
  type Parts = readonly { s?: string | null; n?: number; l?: string[] }[];
  const printParts = (parts: Parts) => {
    const p = new Print64().begin();
    for (const x of parts)
      if ('s' in x) p.str(x.s!);
      else if ('n' in x) p.num(x.n!);
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
  const sameParts = (a: readonly Record<string, unknown>[], b: readonly Record<string, unknown>[]) =>
    a.length === b.length &&
    a.every((x, i) => Object.keys(x)[0] === Object.keys(b[i])[0] && same(Object.values(x)[0], Object.values(b[i])[0]));

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
            expect(printParts(a) === printParts(b), JSON.stringify([a, b])).toBe(sameParts(a, b));
          expect(printParts(a)).toBe(printParts(structuredClone(a)));
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
