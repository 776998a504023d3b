// The aliases view's rows of a name several beads claim: each claim in the contract's order (name, kind, holder), a
// named identity held by the bead that claimed its name first in the file, and the conflict text counting the
// holders and naming who wants the name, in file order.
import { expect, test } from 'vitest';
import { plan } from '../../src/engine/index.js';
import { snapshotOf } from '../../src/console/state.js';
import { aliasesTable } from '../../src/ui/rows/aliases.js';
import { derive } from '../../src/ui/rows/derive.js';
import { NOW, pooled } from '../support/builders.js';
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
