// The `/` filter narrows its last result as the query grows, and a long list answers through its search index
// (character bits, texts by row); whatever the order of queries and whichever way, the rows shown are exactly
// those matching every word, in table order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SLICE } from '../../src/ui/rows/derive.js';
import { filterRows, placesOf, warmSearchIndex } from '../../src/ui/rows/filter.js';
import type { Row } from '../../src/ui/rows/types.js';
import { PROPERTY_RUNS } from '../support/runs.js';

const row = (key: string, search: string): Row => ({ key, cells: [key], search, ids: [key] });

/** The plain scan: the rule docs/keys.md states. */
function expected(rows: Row[], query: string): string[] {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  return rows.filter((r) => words.every((w) => r.search.includes(w))).map((r) => r.key);
}

const indexed = async (rows: Row[]): Promise<Row[]> => {
  await warmSearchIndex(rows, async () => {});
  return rows;
};

/** What the filter shows of `rows` for each query in turn, checked against the plain scan. */
function expectEachQuery(rows: Row[], queries: string[]): void {
  for (const q of queries) {
    const got = filterRows(rows, q);
    expect(
      got.map((r) => r.key),
      q,
    ).toEqual(expected(rows, q));
    // Where each shown row is in the list (the cursor's row is found by it).
    if (got !== rows) expect(Array.from(placesOf(got)!.at, (i) => rows[i])).toEqual(got);
  }
}

// Letters and digits (with a character bit), signs with and without one, capitals (the query is lower-cased),
// characters beyond ASCII and beyond the BMP, and spaces or newlines inside a row's text.
const unit = fc.constantFrom('a', 'b', 'c', '-', '1', '2', '/', '!', '~', 'é', '—', '𝒳', 'B', ' ', '\n');
const text = fc.string({ unit, maxLength: 8 });
const query = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '-', '1', '2', '/', '!', '~', 'é', '—', '𝒳', 'B', 'C', ' '), maxLength: 6 });

describe('filterRows', () => {
  const rows = [
    row('a', 'backend/worker-1 dc-b1a'),
    row('b', 'backend/builder-2 dc-c2b'),
    row('c', 'frontend/worker-3 dc-f3c'),
    row('d', 'ops/polecat-1 dc-p1a'),
  ];
  const typing = ['w', 'wo', 'worker', 'worker-1', 'worker-', 'worker- front', 'worker- fron', 'b', 'back 1', 'back', '', 'dc- 1a', 'Z'];

  it('typing, deleting and adding words: always the rows matching every word, in order', () => {
    expectEachQuery(rows, typing);
  });

  it('the same through the search index', async () => {
    expectEachQuery(await indexed([...rows]), typing);
  });

  it('any sequence of queries over any rows (property)', () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 12 }), fc.array(query, { maxLength: 10 }), (searches, queries) => {
        expectEachQuery(
          searches.map((s, i) => row(String(i), s.trim().toLowerCase())),
          queries,
        );
      }),
      { numRuns: 300 },
    );
  });

  it('through the search index, over lists of several slices: the rows the plain scan finds (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(text, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 2 * SLICE + 50 }),
        fc.array(query, { maxLength: 8 }),
        async (searches, n, queries) => {
          // A few distinct texts repeated, so rows of every slice match (or not) alike.
          const list = Array.from({ length: n }, (_, i) => row(String(i), searches[(i * 7) % searches.length].toLowerCase()));
          expectEachQuery(await indexed(list), queries);
        },
      ),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it('through the index, rows of words most rows hold and of words others hold: the rows the plain scan finds (property)', async () => {
    // The index keeps a word another of the row's holds once, and the words most of the first rows hold as bits.
    const word = fc.constantFrom('asleep', 'alias', 'agent_name', 'builder-12', 'builder-1', '12', '1', 'b', 'é—', '𝒳x', 'x');
    const words = fc.array(fc.tuple(word, fc.constantFrom(' ', '  ', '\n')), { maxLength: 5 });
    const common = fc.array(word, { minLength: 1, maxLength: 3 });
    await fc.assert(
      fc.asyncProperty(
        common,
        fc.array(words, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 2 * SLICE + 50 }),
        fc.array(query, { maxLength: 8 }),
        async (most, rest, n, queries) => {
          const text = (i: number) => {
            const own = rest[(i * 7) % rest.length].map(([w, sep]) => w + sep).join('');
            return (i % 5 ? `${most.join(' ')} ${own}` : own).trim();
          };
          const list = Array.from({ length: n }, (_, i) => row(String(i), text(i)));
          expectEachQuery(await indexed(list), [...queries, ...most, 'builder-12', 'uilder-1', 'ias', 'e_n']);
        },
      ),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it('a query typed one character at a time, then erased, through the index: each the plain scan’s rows', async () => {
    const list = await indexed(
      Array.from({ length: 3 * SLICE }, (_, i) =>
        row(String(i), `pool-${i % 13}/builder-${i} gx-${(i * 37).toString(36)} ${i % 5 ? 'asleep' : 'awake'}`),
      ),
    );
    const typed = [...'builder-12 awake'].map((_, i, all) => all.slice(0, i + 1).join(''));
    expectEachQuery(list, [...typed, ...[...typed].reverse(), 'a', 'a w', 'z', '12 1', '9 gx-']);
  });
});
