// The `/` filter narrows its last result as the query grows; whatever the order of queries, the rows shown are
// exactly those matching every word, in table order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { filterRows } from '../../src/ui/rows/derive.js';
import type { Row } from '../../src/ui/rows/types.js';

const row = (key: string, search: string): Row => ({ key, cells: [key], search, ids: [key] });

function expected(rows: Row[], query: string): string[] {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  return rows.filter((r) => words.every((w) => r.search.includes(w))).map((r) => r.key);
}

describe('filterRows', () => {
  const rows = [
    row('a', 'backend/worker-1 dc-b1a'),
    row('b', 'backend/builder-2 dc-c2b'),
    row('c', 'frontend/worker-3 dc-f3c'),
    row('d', 'ops/polecat-1 dc-p1a'),
  ];

  it('typing, deleting and adding words: always the rows matching every word, in order', () => {
    for (const q of ['w', 'wo', 'worker', 'worker-1', 'worker-', 'worker- front', 'worker- fron', 'b', 'back 1', 'back', '', 'dc- 1a']) {
      expect(
        filterRows(rows, q).map((r) => r.key),
        q,
      ).toEqual(expected(rows, q));
    }
  });

  it('any sequence of queries over any rows (property)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '-', '1', ' '), maxLength: 8 });
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 12 }), fc.array(text, { maxLength: 10 }), (searches, queries) => {
        const table = searches.map((s, i) => row(String(i), s.trim()));
        for (const q of queries) expect(filterRows(table, q).map((r) => r.key)).toEqual(expected(table, q));
      }),
      { numRuns: 300 },
    );
  });
});
