// The one-pass bead check must agree with the zod schema it stands in for: same verdict on every input,
// and the first bad bead is the one zod names first. fast-check generates beads with every field right or wrong.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { scanBeads } from '../../src/store/formats/bead-check.js';
import { schemas } from '../../src/store/formats/schema.js';
import { validateStoreDocument } from '../../src/store/formats/load-store.js';
import { decodeBeadsDocument } from '../../src/store/formats/beads-file.js';
import { InputError } from '../../src/store/types.js';

const runs = Number(process.env.GC_TUI_PROPERTY_RUNS ?? 100);

const junk = fc.oneof(fc.constant(null), fc.integer(), fc.boolean(), fc.constant([]), fc.constant({}), fc.string({ maxLength: 3 }));
const maybe = <T>(good: fc.Arbitrary<T>) =>
  fc.option(fc.oneof({ weight: 8, arbitrary: good }, { weight: 1, arbitrary: junk }), { nil: undefined, freq: 3 });
const bead = fc.oneof(
  { weight: 1, arbitrary: junk },
  {
    weight: 12,
    arbitrary: fc.record(
      {
        id: fc.oneof(
          { weight: 10, arbitrary: fc.constantFrom('a', 'b', 'c', 'd') },
          { weight: 1, arbitrary: fc.constantFrom('', 1, null) },
        ),
        title: maybe(fc.string({ maxLength: 2 })),
        status: maybe(fc.constantFrom('open', 'closed')),
        issue_type: maybe(fc.constantFrom('session', 'task')),
        assignee: maybe(fc.string({ maxLength: 2 })),
        priority: maybe(fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 4 }) }, { weight: 1, arbitrary: fc.constant(1.5) })),
        close_reason: maybe(fc.string({ maxLength: 2 })),
        is_blocked: maybe(fc.oneof(fc.boolean(), fc.constantFrom('yes', 'no', 'maybe', 0, 2))),
        dependencies: maybe(
          fc.array(
            fc.oneof(
              { weight: 6, arbitrary: fc.record({ issue_id: maybe(fc.string({ maxLength: 2 })), type: maybe(fc.constant('blocks')) }) },
              { weight: 1, arbitrary: junk },
            ),
            { maxLength: 2 },
          ),
        ),
        labels: maybe(
          fc.array(fc.oneof({ weight: 9, arbitrary: fc.string({ maxLength: 2 }) }, { weight: 1, arbitrary: fc.integer() }), {
            maxLength: 3,
          }),
        ),
        metadata: maybe(
          fc.dictionary(
            fc.constantFrom('alias', 'pool_slot', 'state'),
            fc.oneof({ weight: 9, arbitrary: fc.string({ maxLength: 2 }) }, { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.boolean()) }),
          ),
        ),
        created_at: maybe(fc.constant('2026-05-06T02:00:00Z')),
        updated_at: maybe(fc.constant('2026-05-06T02:00:00Z')),
      },
      { requiredKeys: ['id'] },
    ),
  },
);

const errorOf = (f: () => unknown): string | null => {
  try {
    f();
    return null;
  } catch (e) {
    if (e instanceof InputError) return e.message;
    throw e;
  }
};

describe('one pass over the beads agrees with zod', () => {
  test('store files: the same verdict, and the first bad bead is the first zod names', () => {
    fc.assert(
      fc.property(fc.array(bead, { maxLength: 6 }), (beads) => {
        const doc = { schema: 'gc-tui/1', city: { agents: [] }, beads };
        const scan = scanBeads(beads, 'strings');
        const zod = schemas().storeSchema.safeParse(doc);
        expect(scan.badShape === -1).toBe(zod.success);
        if (!zod.success) expect(zod.error.issues[0].path.slice(0, 2)).toEqual(['beads', scan.badShape]);
      }),
      { numRuns: runs * 10 },
    );
  });

  test('city beads.json: the same verdict; non-string metadata is allowed and flagged', () => {
    fc.assert(
      fc.property(fc.array(bead, { maxLength: 6 }), (beads) => {
        const scan = scanBeads(beads, 'any');
        const zod = schemas().beadsFileSchema.safeParse({ seq: 1, beads });
        expect(scan.badShape === -1).toBe(zod.success);
      }),
      { numRuns: runs * 10 },
    );
  });

  test("captures: the same verdict as zod's words for them (bd's is_blocked, no close_reason)", () => {
    fc.assert(
      fc.property(fc.array(bead, { maxLength: 6 }), (beads) => {
        const scan = scanBeads(beads, 'capture');
        const zod = schemas().captureFileSchema.safeParse({ beads });
        expect(scan.badShape === -1).toBe(zod.success);
        if (!zod.success) expect(zod.error.issues[0].path.slice(0, 2)).toEqual(['beads', scan.badShape]);
      }),
      { numRuns: runs * 10 },
    );
  });

  test('the errors a user reads are the ones the full schema words: shape first, then duplicate ids', () => {
    fc.assert(
      fc.property(fc.array(bead, { maxLength: 6 }), (beads) => {
        const doc = { schema: 'gc-tui/1', city: { agents: [] }, beads };
        const message = errorOf(() => validateStoreDocument(structuredClone(doc), 's.json'));
        const zod = schemas().storeSchema.safeParse(doc);
        if (!zod.success) expect(message).toMatch(/^s\.json: beads\[\d+\]/);
        else {
          const ids = beads.map((b) => (b as { id: string }).id);
          const dup = ids.findIndex((id, i) => ids.indexOf(id) !== i);
          if (dup < 0) expect(message).toBeNull();
          else
            expect(message).toBe(
              `s.json: beads[${dup}].id: duplicate bead id ${JSON.stringify(ids[dup])} (first at beads[${ids.indexOf(ids[dup])}].id)`,
            );
        }
      }),
      { numRuns: runs * 10 },
    );
  });

  test("a city's beads are used as parsed unless bd wrote non-string metadata, which is coerced on a copy", () => {
    const plain = { id: 'a', metadata: { alias: 'x' } };
    const bd = { id: 'b', metadata: { restarts: 3, attached: false, alias: 'y' } };
    const doc = { seq: 1, beads: [plain, bd] };
    const file = decodeBeadsDocument(doc, 'beads.json');
    expect(file.beads[0]).toBe(plain);
    expect(file.beads[1]).not.toBe(bd);
    expect(file.beads[1].metadata).toEqual({ restarts: '3', attached: 'false', alias: 'y' });
    expect(bd.metadata.restarts).toBe(3); // the raw document, written back on apply, is untouched
    expect(file.raw.beads).toEqual([plain, bd]);
  });

  test('the first repeated id is the one a set finds, whatever the order of the ids (sorted runs or not), and a bad bead stops it', () => {
    // Ids as a store may order them: sorted runs (a generated store's sessions, then its work), runs in creation order
    // (Gas City's file store: shorter first, `gc-9` before `gc-10`), or any order, with repeats.
    const id = fc.constantFrom('a1', 'a2', 'b1', 'b2', 'c', 'c0', 'd', 'gc-9', 'gc-10', 'gc-11', 'gc-100');
    const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const byLength = (a: string, b: string) => a.length - b.length || byText(a, b);
    const runsOf = (order: (a: string, b: string) => number) =>
      fc
        .array(
          fc.uniqueArray(id, { maxLength: 6 }).map((run) => [...run].sort(order)),
          { minLength: 1, maxLength: 3 },
        )
        .map((runs) => runs.flat());
    const ids = fc.oneof(fc.array(id, { maxLength: 12 }), runsOf(byText), runsOf(byLength));
    fc.assert(
      fc.property(ids, fc.option(fc.nat({ max: 12 }), { nil: undefined }), (list, bad) => {
        const beads: unknown[] = list.map((x) => ({ id: x }));
        if (bad !== undefined && bad < beads.length) beads[bad] = { id: 7 };
        const stop = bad !== undefined && bad < beads.length ? bad : beads.length;
        // The reference: a set of the ids of the beads before the first bad one, in order.
        const seen = new Set<string>();
        let expected: { index: number; first: number; id: string } | null = null;
        for (let i = 0; i < stop && expected === null; i++) {
          if (seen.has(list[i])) expected = { index: i, first: list.indexOf(list[i]), id: list[i] };
          seen.add(list[i]);
        }
        const scan = scanBeads(beads, 'strings');
        expect(scan.badShape).toBe(stop < beads.length ? stop : -1);
        expect(scan.duplicate).toEqual(expected);
      }),
      { numRuns: runs * 10 },
    );
  });
});
