// The review queue: grouping by pool and kind (rule order), rejected repairs kept in their group, and
// git-add-p style stepping over undecided rows. Plus the card's diff symbols and wrapping.
import { describe, expect, test, vi } from 'vitest';
import { compareBytes, isDestructive, KIND_ORDER, plan, REPAIR_KINDS } from '../../src/engine/index.js';
import type { Repair } from '../../src/engine/types.js';
import { diffSymbol } from '../../src/engine/index.js';
import { cardLines, undoText, wrap } from '../../src/ui/review/card.js';
import { buildQueue, nextUndecided } from '../../src/ui/review/queue.js';
import { derive } from '../../src/ui/rows/derive.js';
import { queueRowByKey, queueRows, repairsTable } from '../../src/ui/rows/repairs.js';
import { filterRows } from '../../src/ui/rows/filter.js';
import { searchText } from '../../src/ui/rows/types.js';
import { aliasesTable } from '../../src/ui/rows/aliases.js';
import { slotsTable } from '../../src/ui/rows/slots.js';
import { NOW, pooled } from '../support/builders.js';
import { demoState, storeWith } from './fixture.js';

// U+FF01 is one UTF-16 unit above every surrogate, but its UTF-8 bytes (EF BC 81) sort below an astral
// character's (F0 …): UTF-16 order puts the emoji first, the contract's byte order puts it last.
const BMP_HIGH = '\uff01';
const ASTRAL = '\u{1f600}';

const repair = (kind: Repair['kind'], bead: string, template: string | null): Repair => ({
  id: `${kind}:${bead}`,
  kind,
  beadId: bead,
  template,
  changes: [{ field: 'status', before: 'open', after: 'closed' }],
  reason: 'r',
});

describe('buildQueue', () => {
  test('groups by pool (byte order, no pool last), then kind in rule order, then bead', () => {
    const q = buildQueue({
      repairs: [
        repair('rollback-stale-create', 'b2', 'b/w'),
        repair('restamp-slot', 'a9', 'a/w'),
        repair('backfill-template', 'z1', null),
        repair('repair-alias', 'a1', 'a/w'),
        repair('close-duplicate', 'b1', 'b/w'),
        repair('backfill-template', 'a5', 'a/w'),
      ],
      detail: {
        rejected: [
          { repair: repair('restamp-slot', 'a3', 'a/w'), decision: { repair: 'restamp-slot:a3', decision: 'rejected', changes: [] } },
        ],
      },
    });
    expect(q.map((e) => `${e.pool}|${e.repair.kind}|${e.repair.beadId}|${e.decision ? 'rejected' : 'pending'}`)).toEqual([
      'a/w|backfill-template|a5|pending',
      'a/w|repair-alias|a1|pending',
      'a/w|restamp-slot|a3|rejected',
      'a/w|restamp-slot|a9|pending',
      'b/w|close-duplicate|b1|pending',
      'b/w|rollback-stale-create|b2|pending',
      '|backfill-template|z1|pending',
    ]);
  });

  test('pools and bead ids sort in byte order (UTF-8), not UTF-16 order, for astral characters', () => {
    expect(compareBytes(BMP_HIGH, ASTRAL)).toBeLessThan(0);
    expect(BMP_HIGH < ASTRAL).toBe(false); // what `a < b` got wrong
    const q = buildQueue({
      repairs: [
        repair('restamp-slot', `a${ASTRAL}`, `p${ASTRAL}`),
        repair('restamp-slot', `a${BMP_HIGH}`, `p${ASTRAL}`),
        repair('restamp-slot', 'x', `p${BMP_HIGH}`),
      ],
      detail: { rejected: [] },
    });
    expect(q.map((e) => `${e.pool}|${e.repair.beadId}`)).toEqual([`p${BMP_HIGH}|x`, `p${ASTRAL}|a${BMP_HIGH}`, `p${ASTRAL}|a${ASTRAL}`]);
  });

  test('the slots and aliases views list beads and names in byte order', () => {
    const s = demoState();
    s.city.agents.push({ name: 'astral' });
    // Two beads that own no slot (so only the id orders them) and two names that differ past the BMP.
    s.beads.push(
      pooled(`o${ASTRAL}`, 'astral', { agent_name: '', alias: `n${ASTRAL}`, pool_slot: '' }),
      pooled(`o${BMP_HIGH}`, 'astral', { agent_name: '', alias: `n${BMP_HIGH}`, pool_slot: '' }),
    );
    const d = derive(storeWith(s).getState().current!);
    expect(slotsTable(d, 'astral').rows.map((r) => r.key)).toEqual([`o${BMP_HIGH}`, `o${ASTRAL}`]);
    const names = aliasesTable(d)
      .rows.map((r) => r.cells[0])
      .filter((n) => n.startsWith('n'));
    expect(names).toEqual([`n${BMP_HIGH}`, `n${ASTRAL}`]);
  });

  test('the fixture plan: every repair appears once, keyed by its id', () => {
    const p = plan(demoState(), NOW);
    const q = buildQueue(p);
    expect(q.map((e) => e.key).sort()).toEqual(p.repairs.map((r) => r.id).sort());
  });

  test('kinds: every kind has a rule; the ones that close beads or unassign work are destructive', () => {
    // canonical-identity and close-duplicate-session-name (2026-08 rules) are the ninth and tenth
    expect(Object.keys(REPAIR_KINDS)).toHaveLength(10);
    expect([...KIND_ORDER].sort()).toEqual(Object.keys(REPAIR_KINDS).sort());
    expect(KIND_ORDER.filter((k) => REPAIR_KINDS[k].destructive).sort()).toEqual([
      'close-duplicate',
      'close-duplicate-session-name',
      'release-orphaned-work',
      'rollback-stale-create',
      'unassign-cross-template-work',
    ]);
    expect(isDestructive(repair('restamp-slot', 'x', null))).toBe(false);
    expect(undoText(repair('close-duplicate', 'x', null))).toMatch(/^no — the bead is closed/);
    expect(undoText(repair('unassign-cross-template-work', 'x', null))).toMatch(/^no — the assignment is lost/);
    expect(undoText(repair('repair-alias', 'x', null))).toMatch(/^yes/);
  });
});

describe('lookups on the hot path', () => {
  test('a queue row by key and a work item by id are map lookups, built once per plan and review outcomes', () => {
    const d = derive(storeWith(demoState()).getState().current!);
    const review = {};
    const byKey = queueRowByKey(d, review);
    expect(queueRowByKey(d, review)).toBe(byKey);
    expect([...byKey.keys()]).toEqual(queueRows(d, review).map((q) => q.key));
    expect(d.workById).toBe(d.workById);
    // Rendering a work repair's full card never scans the plan's work list.
    const find = vi.spyOn(d.snap.plan.detail.work, 'find');
    const rows = queueRows(d, review);
    const spyRows = vi.spyOn(rows, 'find');
    const entry = byKey.get('unassign-cross-template-work:wk-cross')!;
    const text = cardLines(d, entry, undefined, 120, false, { state: 'same', seen: entry.repair, readOnly: false })
      .map((l) => l.text)
      .join('\n');
    expect(text).toContain('session be-one');
    expect(find).not.toHaveBeenCalled();
    expect(spyRows).not.toHaveBeenCalled();
  });
});

describe('the queue’s rows and the filter', () => {
  test('a row keeps no search text; the filter finds the rows whose cells, or whose repair id, hold every word, its reason’s words too', () => {
    const d = derive(storeWith(demoState()).getState().current!);
    const rows = repairsTable(d, {}).rows;
    expect(rows.length).toBeGreaterThan(1);
    // The id (no cell shows it whole) after the cells' text.
    const text = (r: (typeof rows)[number]) => `${searchText(r.cells)} ${r.key.toLowerCase()}`;
    for (const r of rows) {
      expect(Object.keys(r)).not.toContain('search');
      expect(r.search).toBe(text(r));
    }
    const scan = (q: string) => rows.filter((r) => q.split(' ').every((w) => text(r).includes(w))).map((r) => r.key);
    const words = rows.flatMap((r) => text(r).split(/\s+/)).filter((w) => w.length > 2);
    for (const q of [...new Set(words)].slice(0, 40).concat(['undecided', 'zzz', 'close dup', 'restamp-slot:fe-poison']))
      expect(
        filterRows(rows, q).map((r) => r.key),
        q,
      ).toEqual(scan(q));
    expect(scan('restamp-slot:fe-poison')).toEqual(['restamp-slot:fe-poison']);
  });
});

describe('nextUndecided', () => {
  const u = [true, false, false, true, false, true];
  test('jumps over decided rows both ways, never wraps', () => {
    expect(nextUndecided(u, 0, 1)).toBe(3);
    expect(nextUndecided(u, 3, 1)).toBe(5);
    expect(nextUndecided(u, 5, 1)).toBe(-1);
    expect(nextUndecided(u, 5, -1)).toBe(3);
    expect(nextUndecided(u, 3, -1)).toBe(0);
    expect(nextUndecided(u, 0, -1)).toBe(-1);
    expect(nextUndecided([], 0, 1)).toBe(-1);
  });
});

describe('card text', () => {
  test('terraform symbols: + add, - remove, ~ change', () => {
    expect(diffSymbol({ field: 'metadata.x', before: null, after: 'a' })).toBe('+');
    expect(diffSymbol({ field: 'metadata.x', before: 'a', after: null })).toBe('-');
    expect(diffSymbol({ field: 'metadata.x', before: 'a', after: '' })).toBe('-');
    expect(diffSymbol({ field: 'metadata.x', before: '', after: 'a' })).toBe('+');
    expect(diffSymbol({ field: 'metadata.x', before: 'a', after: 'b' })).toBe('~');
  });

  test('wrap keeps lines within the width and loses no word', () => {
    const text =
      'owned slot 2 of frontend/worker: alias "backend/worker-4" → frontend/nux (available) and a-very-long-identifier-that-does-not-fit';
    const lines = wrap(text, 20);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(20);
    expect(lines.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
  });
});
