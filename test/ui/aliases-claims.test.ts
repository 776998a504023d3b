// The aliases view's rows of a name several beads claim: each claim in the contract's order (name, kind, holder), a
// named identity held by the bead that claimed its name first in the file, and the conflict text counting the
// holders and naming who wants the name, in file order.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { compareBytes, plan } from '../../src/engine/index.js';
import { snapshotOf } from '../../src/console/state.js';
import { aliasesTable } from '../../src/ui/rows/aliases.js';
import { derive } from '../../src/ui/rows/derive.js';
import { NOW, pooled } from '../support/builders.js';
import { PROPERTY_RUNS } from '../support/runs.js';
import { demoState } from './fixture.js';

test('a contested name: its claims in order, its first holder, its holders counted and its wanters in file order', () => {
  const s = demoState();
  s.beads.push(
    pooled('zz-first', 'frontend/worker', { alias: 'shared' }),
    // Two claims of the name (alias and agent name): one holder.
    pooled('aa-second', 'frontend/worker', { alias: 'shared', agent_name: 'shared' }),
    pooled('yy-wants', 'frontend/worker', { pool_alias_conflict: 'shared', pool_alias_conflict_count: '3' }),
    pooled('bb-wants', 'frontend/worker', { pool_alias_conflict: 'shared' }),
  );
  s.city.named_sessions = [...(s.city.named_sessions ?? []), { identity: 'shared', template: 'mayor' }];
  const rows = aliasesTable(derive(snapshotOf(s, plan(s, NOW), NOW.getTime()))).rows.filter((r) => r.cells[0] === 'shared');
  expect(rows.map((r) => [r.cells[1], r.cells[2]])).toEqual([
    ['alias', 'aa-second'],
    ['alias', 'zz-first'],
    ['named identity', 'zz-first'],
    ['agent_name', 'aa-second'],
    ['wanted', 'bb-wants'],
    ['wanted', 'yy-wants'],
  ]);
  const contested = 'claimed by 2 beads; wanted by yy-wants ×3, age unknown; wanted by bb-wants ×1, age unknown';
  expect(rows.slice(0, 4).map((r) => r.cells[4])).toEqual([contested, contested, contested, contested]);
  expect(rows[4].cells[4]).toMatch(/^×1, age unknown; /);
  expect(rows[5].cells[4]).toMatch(/^×3, age unknown; /);
});

test('the aliases rows: one per claim, none missing, by name and holder in byte order, kinds in their order', () => {
  // Names whose UTF-16 and byte orders differ (an astral character against one near U+FFFF).
  const name = fc.constantFrom('shared', 'a', 'é', '\uFF5E', '\u{1F600}x', 'b-1');
  const claims = fc.record({ alias: name, agent_name: name, session_name: name, pool_alias_conflict: name }, { requiredKeys: [] });
  const id = fc.string({ unit: fc.constantFrom('a', 'z', '1', '\uFF5E', '\u{1F600}'), minLength: 1, maxLength: 3 });
  const beads = fc.uniqueArray(fc.tuple(id, claims), { selector: ([k]) => k, maxLength: 25 });
  fc.assert(
    fc.property(beads, fc.array(name, { maxLength: 3 }), (made, identities) => {
      const s = demoState();
      s.beads.push(...made.map(([k, md]) => pooled(`zz-${k}`, 'frontend/worker', md)));
      s.city.named_sessions = [...(s.city.named_sessions ?? []), ...identities.map((identity) => ({ identity, template: 'mayor' }))];
      const d = derive(snapshotOf(s, plan(s, NOW), NOW.getTime()));
      // The claims written plainly: each detail's names, then the named identities, held by the name's first holder.
      const want: [string, string, string][] = [];
      const firstHolder = new Map<string, string>();
      for (const info of d.infos) {
        const md = d.beadById.get(info.id)?.metadata ?? {};
        for (const kind of ['alias', 'session_name', 'agent_name'] as const) {
          const v = md[kind];
          if (typeof v === 'string' && v) {
            want.push([v, kind, info.id]);
            if (!firstHolder.has(v)) firstHolder.set(v, info.id);
          }
        }
        const wanted = md.pool_alias_conflict;
        if (typeof wanted === 'string' && wanted) want.push([wanted, 'wanted', info.id]);
      }
      for (const n of s.city.named_sessions) {
        const identity = n.identity || n.template;
        if (identity) want.push([identity, 'named identity', firstHolder.get(identity) ?? '']);
      }
      const rank = ['alias', 'named identity', 'agent_name', 'session_name', 'wanted'];
      want.sort((a, b) => compareBytes(a[0], b[0]) || rank.indexOf(a[1]) - rank.indexOf(b[1]) || compareBytes(a[2], b[2]));
      const rows = aliasesTable(d).rows;
      // Every place of the list holds a row (it is made at its length, not grown).
      expect(Object.keys(rows).length).toBe(rows.length);
      expect(rows.map((r) => r.key)).toEqual(want.map((w) => w.join('\u0000')));
    }),
    { numRuns: PROPERTY_RUNS },
  );
});

test('a bead id borne twice: its names are the later bead’s, as the console reads that id everywhere', () => {
  const s = demoState();
  s.beads.push(
    pooled('zz-twice', 'frontend/worker', { alias: 'earlier-alias', session_name: 's-earlier' }),
    pooled('zz-other', 'frontend/worker', { alias: 'other-alias' }),
    pooled('zz-twice', 'frontend/worker', { alias: 'later-alias', session_name: 's-later' }),
  );
  const rows = aliasesTable(derive(snapshotOf(s, plan(s, NOW), NOW.getTime()))).rows;
  expect(rows.filter((r) => r.cells[2] === 'zz-twice').map((r) => [r.cells[0], r.cells[1]])).toEqual([
    ['later-alias', 'alias'],
    ['s-later', 'session_name'],
  ]);
  expect(rows.filter((r) => r.cells[2] === 'zz-other').map((r) => r.cells[0])).toEqual(['other-alias', 's-zz-other']);
});
