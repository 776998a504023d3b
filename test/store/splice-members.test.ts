// A write changes a bead member by member (splice-members.ts via splice-beads.ts): in a file laid out by hand, with
// numbers and strings spelled as JSON allows (1.10, 1E+2, -0, 0.12345678901234567890123, 1e400, "\u0061"), the members
// of a changed bead that the write does not change, and every byte outside that bead, are what the file held.
// The changes are the engine's own (applyRepairs), so keys are added and removed where a real write puts them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyRepairs } from '../../src/engine/apply.js';
import type { Bead, Change, Repair } from '../../src/engine/types.js';
import { beadSpans } from '../../src/store/formats/bead-spans.js';
import { detectJsonLayout, parseJsonText, stringifyJson, type JsonLayout } from '../../src/store/formats/json-text.js';
import { spliceBeads } from '../../src/store/formats/splice-beads.js';
import { PROPERTY_RUNS } from '../support/runs.js';

const NOW = new Date('2026-05-06T02:13:00Z');

// ---------------------------------------------------------------- a JSON model that keeps its own spelling

/** A value as the file spells it: a number's or a string's text is its own; containers list their members in text order. */
type Spelled =
  | { num: string }
  | { str: string; text: string }
  | { lit: 'true' | 'false' | 'null' }
  | { arr: Spelled[] }
  | { obj: [string, Spelled][] };

const NUMBERS = [
  '1.10',
  '1E+2',
  '1e2',
  '-0',
  '-0.0',
  '1.0',
  '2.50',
  '0.12345678901234567890123',
  '1e400',
  '9007199254740993',
  '1e-7',
  '0',
  '42',
];
const numberText = fc.oneof(
  fc.constantFrom(...NUMBERS),
  fc
    .tuple(fc.boolean(), fc.nat({ max: 100000 }), fc.option(fc.nat({ max: 9999 })), fc.option(fc.integer({ min: -30, max: 30 })))
    .map(([neg, int, frac, exp]) => `${neg ? '-' : ''}${int}${frac === null ? '' : `.${frac}`}${exp === null ? '' : `e${exp}`}`),
);

/** A string spelled as JSON.stringify writes it, or with its first character as a \u escape. */
const str = (s: string, escapeFirst: boolean): Spelled => {
  const plain = stringifyJson(s, { indent: '', finalNewline: false });
  if (!escapeFirst || s === '') return { str: s, text: plain };
  const code = s.charCodeAt(0).toString(16).padStart(4, '0');
  return { str: s, text: `"\\u${code}${stringifyJson(s.slice(1), { indent: '', finalNewline: false }).slice(1)}` };
};
const text = fc.oneof(fc.string({ maxLength: 5 }), fc.constantFrom('},{', '"', '\\', 'é', '😀', '1.10', '-0'));
const spelledString = fc.tuple(text, fc.boolean()).map(([s, e]) => str(s, e));
const scalar: fc.Arbitrary<Spelled> = fc.oneof(
  numberText.map((num) => ({ num })),
  spelledString,
  fc.constantFrom<Spelled>({ lit: 'true' }, { lit: 'false' }, { lit: 'null' }),
);
const { value } = fc.letrec<{ value: Spelled }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 3 }).map((arr) => ({ arr })),
    fc
      .uniqueArray(fc.tuple(fc.oneof(text, fc.constantFrom('x', '0', '7')), tie('value')), { maxLength: 3, selector: ([k]) => k })
      .map((obj) => ({ obj })),
  ),
}));

/** White space between tokens: from a list, in turn. */
class Gaps {
  private i = 0;
  constructor(private readonly list: readonly string[]) {}
  next(): string {
    return this.list[this.i++ % this.list.length];
  }
}

/**
 * `v`'s text, its gaps taken in turn from `gaps` (the same list gives the same text for the same shape). `members`
 * collects the text of each member of the objects at `record` depths, by path.
 */
function render(v: Spelled, gaps: Gaps, members?: Map<string, string>, path = ''): string {
  if ('num' in v) return v.num;
  if ('str' in v) return v.text;
  if ('lit' in v) return v.lit;
  if ('arr' in v) {
    const items = v.arr.map((x, i) => render(x, gaps, members, `${path}[${i}]`));
    return `[${gaps.next()}${items.join(`${gaps.next()},${gaps.next()}`)}${gaps.next()}]`;
  }
  const parts = v.obj.map(([k, x]) => {
    const t = `${stringifyJson(k, { indent: '', finalNewline: false })}${gaps.next()}:${gaps.next()}${render(x, gaps, members, `${path}.${k}`)}`;
    members?.set(`${path}.${k}`, t);
    return t;
  });
  return `{${gaps.next()}${parts.join(`${gaps.next()},${gaps.next()}`)}${gaps.next()}}`;
}

const gapList = fc.array(fc.constantFrom('', ' ', '\n', '\n    ', '\t', '  ', '\r\n  '), { minLength: 1, maxLength: 30 });

// ---------------------------------------------------------------- beads, and what a write changes in them

interface BeadModel {
  entries: [string, Spelled][];
  /** Metadata keys that hold strings, the only ones a repair changes. */
  stringKeys: string[];
}

const STATUSES = ['open', 'closed', 'in_progress'];

/** A bead: id, status, metadata (strings, and numbers as bd writes them), unknown fields of any JSON; keys in any order. */
function beadModel(i: number, withUpdatedAt: boolean): fc.Arbitrary<BeadModel> {
  const metadata = fc.uniqueArray(
    fc.tuple(
      fc.constantFrom('alias', 'pool_slot', 'state', 'ratio', 'restarts', 'zz', 'a b', '0'),
      fc.oneof(
        spelledString,
        numberText.map((num) => ({ num })),
      ),
    ),
    { maxLength: 5, selector: ([k]) => k },
  );
  const extras = fc.uniqueArray(fc.tuple(fc.constantFrom('x_precise', 'x_negzero', 'unknown_field', 'ref', 'deps', 'priority'), value), {
    maxLength: 4,
    selector: ([k]) => k,
  });
  return fc
    .record({
      status: fc.constantFrom(...STATUSES),
      assignee: fc.option(spelledString),
      metadata,
      extras,
      escapeId: fc.boolean(),
      updatedAt: fc.constantFrom('2026-01-01T00:00:00Z', '2026-01-01T00:00:00.5Z'),
    })
    .chain((b) => {
      const entries: [string, Spelled][] = [
        ['id', str(`b${i}`, b.escapeId)],
        ['status', str(b.status, false)],
        ...b.extras,
        ['metadata', { obj: b.metadata }],
      ];
      if (b.assignee) entries.push(['assignee', b.assignee]);
      if (withUpdatedAt) entries.push(['updated_at', str(b.updatedAt, false)]);
      return fc
        .shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length })
        .map((order) => ({ entries: order, stringKeys: b.metadata.filter(([, v]) => 'str' in v).map(([k]) => k) }));
    });
}

/** A store document of `beads` with members around them holding numbers spelled by hand. */
function docModel(beads: BeadModel[], around: [string, Spelled][]): Spelled {
  return {
    obj: [
      ['schema', str('gc-tui/1', false)],
      ['x_num', { num: '1.10' }],
      ...around.slice(0, 1),
      ['beads', { arr: beads.map((b) => ({ obj: b.entries })) }],
      ...around.slice(1),
      ['seq', { num: '9007199254740993' }],
    ],
  };
}

/**
 * The file: all of it laid out by hand, or (`ourFrame`) only its beads, between text as gc-tui writes it compact (the
 * write then copies that text without reading it and reads only the items).
 */
function fileText(beads: BeadModel[], around: [string, Spelled][], gaps: readonly string[], ourFrame: boolean): string {
  const g = new Gaps(gaps);
  if (!ourFrame) return render(docModel(beads, around), g) + '\n';
  return `{"schema":"gc-tui/1","beads":[${beads.map((b) => render({ obj: b.entries }, g)).join(`${g.next()},${g.next()}`)}]}`;
}

const around = fc.uniqueArray(fc.tuple(fc.constantFrom('x_exp', 'x_neg0', 'custom', 'decisions_x'), value), {
  maxLength: 3,
  selector: ([k]) => k,
});

/** A repair that makes `changes` to bead `id` (applyRepairs does not look at `before`). */
const repairOf = (id: string, changes: Change[]): Repair => ({
  id: `r:${id}`,
  kind: 'restamp-slot',
  beadId: id,
  template: null,
  changes,
  reason: '',
});

// ---------------------------------------------------------------- properties

describe('a changed bead keeps the text of every member the write does not change', () => {
  it('a write that only replaces values (status, metadata strings, updated_at): the file is byte for byte the hand-written text with those values replaced', () => {
    const input = fc.integer({ min: 1, max: 5 }).chain((n) =>
      fc.record({
        beads: fc.tuple(...Array.from({ length: n }, (_, i) => beadModel(i, true))),
        around,
        gaps: gapList,
        pick: fc.array(fc.record({ bead: fc.nat(), status: fc.constantFrom(...STATUSES), key: fc.nat(), value: text }), {
          minLength: 1,
          maxLength: 3,
        }),
        ourFrame: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(input, ({ beads, around, gaps, pick, ourFrame }) => {
        const source = fileText(beads, around, gaps, ourFrame);
        const read = parseJsonText(source) as Record<string, unknown> & { beads: Bead[] };
        const repairs = pick.map((p) => {
          const b = beads[p.bead % beads.length];
          const changes: Change[] = [{ field: 'status', before: null, after: p.status }];
          if (b.stringKeys.length > 0)
            changes.push({ field: `metadata.${b.stringKeys[p.key % b.stringKeys.length]}`, before: null, after: p.value });
          return repairOf(`b${p.bead % beads.length}`, changes);
        });
        const next = applyRepairs({ city: { agents: [] } as never, beads: read.beads }, repairs, { now: NOW }).beads;
        // The model of what the file should now hold: the values that differ respelled, every other spelling kept.
        const changed = structuredClone(beads);
        next.forEach((after, k) => {
          if (after === read.beads[k]) return;
          const entries = changed[k].entries;
          const md = (entries.find(([e]) => e === 'metadata')![1] as { obj: [string, Spelled][] }).obj;
          for (const entry of [...entries, ...md]) {
            const [key, was] = entry;
            const now = md.includes(entry) ? after.metadata![key] : after[key];
            if ('str' in was && was.str !== now) entry[1] = str(now as string, false);
          }
        });
        const top = { ...read, beads: next };
        const out = spliceBeads(Buffer.from(source, 'utf8'), detectJsonLayout(source), read, top);
        expect(out).not.toBeNull();
        expect(Buffer.concat(out!).toString('utf8')).toBe(fileText(changed, around, gaps, ourFrame));
      }),
      { numRuns: PROPERTY_RUNS * 2 },
    );
  });

  it('a write that also adds and removes keys: every member it leaves alone is copied as spelled, every byte outside the changed beads is as read, and the file reads back as the new document', () => {
    const input = fc.integer({ min: 1, max: 5 }).chain((n) =>
      fc.record({
        beads: fc.tuple(...Array.from({ length: n }, (_, i) => fc.boolean().chain((u) => beadModel(i, u)))),
        around,
        gaps: gapList,
        pick: fc.array(
          fc.record({
            bead: fc.nat(),
            key: fc.constantFrom('alias', 'pool_slot', 'state', 'new_key', 'a b', '0', '__proto__'),
            after: fc.option(text),
            assignee: fc.option(fc.option(text), { nil: undefined }),
          }),
          { minLength: 1, maxLength: 4 },
        ),
      }),
    );
    fc.assert(
      fc.property(input, ({ beads, around, gaps, pick }) => {
        const members = new Map<string, string>();
        const source = render(docModel(beads, around), new Gaps(gaps), members) + '\n';
        const read = parseJsonText(source) as Record<string, unknown> & { beads: Bead[] };
        const repairs = pick.map((p) => {
          const id = `b${p.bead % beads.length}`;
          const changes: Change[] = [{ field: `metadata.${p.key}`, before: null, after: p.after }];
          // An assignee set or cleared (a release), or left alone.
          if (p.assignee !== undefined) changes.push({ field: 'assignee', before: null, after: p.assignee });
          return repairOf(id, changes);
        });
        const next = applyRepairs({ city: { agents: [] } as never, beads: read.beads }, repairs, { now: NOW }).beads;
        const top = { ...read, beads: next };
        const out = spliceBeads(Buffer.from(source, 'utf8'), detectJsonLayout(source), read, top);
        expect(out).not.toBeNull();
        const written = Buffer.concat(out!).toString('utf8');
        expect(parseJsonText(written)).toEqual(top);

        const changed = next.flatMap((b, k) => (b !== read.beads[k] ? [k] : []));
        const was = beadSpans(source)!;
        const now = beadSpans(written)!;
        // Outside the changed beads: the same bytes.
        const cut = (t: string, s: { starts: ArrayLike<number>; ends: ArrayLike<number> }) =>
          changed.reduceRight((acc, k) => acc.slice(0, s.starts[k]) + acc.slice(s.ends[k]), t);
        expect(cut(written, now)).toBe(cut(source, was));
        // Inside each: every member whose value the write left alone, as it was spelled (metadata's members too).
        for (const k of changed) {
          const beadText = written.slice(now.starts[k], now.ends[k]);
          const before = read.beads[k] as Record<string, unknown>;
          const after = next[k] as Record<string, unknown>;
          for (const key of Object.keys(after)) {
            if (key === 'metadata' || !Object.is(before[key], after[key])) continue;
            expect(beadText).toContain(members.get(`.beads[${k}].${key}`));
          }
          const mdBefore = (before.metadata ?? {}) as Record<string, unknown>;
          const mdAfter = (after.metadata ?? {}) as Record<string, unknown>;
          for (const key of Object.keys(mdAfter))
            if (Object.prototype.hasOwnProperty.call(mdBefore, key) && Object.is(mdBefore[key], mdAfter[key]))
              expect(beadText).toContain(members.get(`.beads[${k}].metadata.${key}`));
        }
      }),
      { numRuns: PROPERTY_RUNS * 2 },
    );
  });

  it('a file gc-tui (or Gas City) wrote: exactly the bytes of the whole new document stringified, whatever keys the write adds or removes', () => {
    const layouts: JsonLayout[] = [
      { indent: '', finalNewline: false },
      { indent: '  ', finalNewline: true },
      { indent: '\t', finalNewline: true },
      { indent: '  ', finalNewline: true, eol: '\r\n' },
    ];
    const plain = fc.record(
      {
        id: fc.constant(''),
        status: fc.constantFrom(...STATUSES),
        assignee: text,
        metadata: fc.oneof(fc.constant(null), fc.dictionary(fc.constantFrom('alias', 'pool_slot', 'b', '1', 'zz'), text, { maxKeys: 4 })),
        updated_at: fc.constant('2026-01-01T00:00:00Z'),
        deps: fc.array(fc.record({ id: text, n: fc.integer() }), { maxLength: 2 }),
      },
      { requiredKeys: ['id', 'status'] },
    );
    const input = fc.record({
      beads: fc.array(plain, { minLength: 5, maxLength: 5 }),
      layout: fc.constantFrom(...layouts),
      // One change per key of a bead, as repairs make them (removing a key and adding it back in one write reorders it).
      pick: fc.uniqueArray(
        fc.record({
          bead: fc.nat({ max: 4 }),
          key: fc.constantFrom('alias', 'pool_slot', 'a', 'b', 'zz', '1'),
          after: fc.option(text),
          release: fc.boolean(),
        }),
        { minLength: 1, maxLength: 4, selector: (p) => `${p.bead}/${p.key}` },
      ),
    });
    fc.assert(
      fc.property(input, ({ beads, layout, pick }) => {
        const doc = {
          schema: 'gc-tui/1',
          city: { agents: [{ name: 'w' }] },
          beads: beads.map((b, i) => ({ ...b, id: `b${i}` })),
          decisions: [],
        };
        const source = stringifyJson(doc, layout);
        const read = parseJsonText(source) as typeof doc & Record<string, unknown>;
        const repairs = pick.map((p) =>
          repairOf(`b${p.bead}`, [
            { field: `metadata.${p.key}`, before: null, after: p.after },
            ...(p.release ? [{ field: 'assignee', before: null, after: null }] : []),
          ]),
        );
        const next = applyRepairs({ city: { agents: [] } as never, beads: read.beads as unknown as Bead[] }, repairs, { now: NOW }).beads;
        const top = { ...read, beads: next };
        const out = spliceBeads(Buffer.from(source, 'utf8'), layout, read, top);
        expect(out).not.toBeNull();
        expect(Buffer.concat(out!).toString('utf8')).toBe(stringifyJson(top, layout));
      }),
      { numRuns: PROPERTY_RUNS * 2 },
    );
  });
});
