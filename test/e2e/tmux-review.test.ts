// The review flow in a real terminal: tmux on its own socket runs the built CLI on a copy of the demo
// city; we approve one repair, reject another, export, and then check the files on disk. A second run
// bulk-approves round after round until the plan is empty and compares the header with `check --json`.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { tempDir } from '../support/files.js';
import { CLI, DEMO } from './cli-helpers.js';
import { TmuxApp, hasTmux } from './tmux-driver.js';
import type { Decision, Repair } from '../../src/engine/types.js';
import type { AuditEntry, StoreDocument } from '../../src/store/types.js';

let app = new TmuxApp();
let dir = '';

const keys = (...k: string[]) => app.keys(...k);
const literal = (text: string) => app.literal(text);
const statusLine = (s: string) => s.replace(/\n+$/, '').split('\n').at(-2) ?? '';

const waitForScreen = (predicate: (s: string) => boolean, what: string, timeoutMs?: number) => app.waitFor(predicate, what, timeoutMs);

function start(file: string, extra = '') {
  app.start(CLI, `--store ${file} ${extra}`);
}

function checkJson(file: string): { metrics: Record<string, number>; repairs: Repair[] } {
  const r = spawnSync(process.execPath, [CLI, 'check', '--store', file, '--json'], { encoding: 'utf8' });
  return JSON.parse(r.stdout);
}

const readDoc = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as StoreDocument;
const readAudit = (file: string) =>
  readFileSync(`${file}.audit.jsonl`, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditEntry);

/** The header's figures, e.g. "mismatched 2  conflicts 1 ..." → { mismatched: 2, ... }. */
function headerFigures(s: string): Record<string, number> {
  const line = s.split('\n')[1];
  return Object.fromEntries([...line.matchAll(/([a-z-]+) (\d+)/g)].map((m) => [m[1], Number(m[2])]));
}

const FIGURE_OF: Record<string, string> = {
  mismatched: 'mismatched_aliases',
  conflicts: 'alias_conflicts',
  dups: 'duplicate_slots',
  'x-tmpl': 'cross_template_assignments',
  orphaned: 'orphaned_work',
  oob: 'out_of_bounds_identities',
  stale: 'stale_creates',
  deferred: 'deferred_rollbacks',
  unresolved: 'unresolved_templates',
};

describe.skipIf(!hasTmux)('review flow in tmux', () => {
  let file = '';
  beforeEach(() => {
    app = new TmuxApp();
    dir = tempDir('gc-tui-tmux-review-');
    file = join(dir, 'demo.json');
    copyFileSync(DEMO, file);
  });
  afterEach(() => {
    app.kill();
  });

  test('approve one, reject another, export; the files say exactly what the card said', async () => {
    const before = readDoc(file);
    const planned = checkJson(file).repairs;
    const restamp = planned.find((r) => r.id === 'restamp-slot:dc-f2b')!;
    const alias = planned.find((r) => r.id === 'repair-alias:dc-f3c')!;
    expect(restamp && alias).toBeTruthy();

    start(file, '--by e2e-op');
    await waitForScreen((x) => x.includes('HEALTH'), 'the console');
    keys('6');
    await waitForScreen((x) => x.includes('undecided'), 'the repairs view');

    keys('/');
    literal('restamp-slot dc-f2b');
    keys('Enter');
    let s = await waitForScreen((x) => /^> undecided .*restamp-slot/m.test(x), 'the restamp row');
    // The card, as the operator sees it before deciding.
    expect(s).toContain('~ metadata.pool_slot: "5" → "2"');
    keys('a');
    s = await waitForScreen((x) => statusLine(x).includes('applied restamp-slot:dc-f2b'), 'applied');
    expect(s).toMatch(/^> applied/m);

    keys('Escape');
    await waitForScreen((x) => !x.includes('filter "'), 'filter cleared');
    keys('/');
    literal('repair-alias dc-f3c');
    keys('Enter');
    s = await waitForScreen((x) => /^> undecided .*repair-alias/m.test(x), 'the alias row');
    expect(s).toContain('~ metadata.alias: "backend/worker-4" → "frontend/worker-3"');
    keys('r');
    await waitForScreen((x) => statusLine(x).includes('reason'), 'the reason prompt');
    literal('swap it by hand');
    keys('Enter');
    await waitForScreen((x) => statusLine(x).includes('rejected repair-alias:dc-f3c'), 'rejected');

    keys('e');
    await waitForScreen((x) => statusLine(x).includes('Export a snapshot as:'), 'export prompt');
    keys('Enter');
    await waitForScreen((x) => statusLine(x).includes('exported md snapshot to'), 'exported');
    keys('e', 'Right', 'Enter');
    await waitForScreen((x) => statusLine(x).includes('exported json snapshot to'), 'exported json');

    keys('q');
    await waitForScreen((x) => x.includes('EXITED:0'), 'exit');

    // The store changed exactly as the card said: one field of one bead (plus its updated_at) and the decision.
    const after = readDoc(file);
    expect(after.beads).toHaveLength(before.beads.length);
    for (const [i, b] of after.beads.entries()) {
      if (b.id !== 'dc-f2b') expect(b).toEqual(before.beads[i]);
    }
    const f2b = after.beads.find((b) => b.id === 'dc-f2b')!;
    const f2bBefore = before.beads.find((b) => b.id === 'dc-f2b')!;
    expect(f2b.metadata).toEqual({ ...f2bBefore.metadata, pool_slot: '2' });
    expect(f2b.updated_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect({ ...f2b, metadata: undefined, updated_at: undefined }).toEqual({ ...f2bBefore, metadata: undefined, updated_at: undefined });
    expect(after.city).toEqual(before.city);

    const decisions = after.decisions as Decision[];
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({
      repair: alias.id,
      decision: 'rejected',
      changes: alias.changes,
      by: 'e2e-op',
      reason: 'swap it by hand',
    });
    const again = checkJson(file).repairs.map((r) => r.id);
    expect(again).not.toContain(alias.id);
    expect(again).not.toContain(restamp.id);

    const audit = readAudit(file);
    expect(audit.map((a) => [a.action, a.repair, a.result, a.operator])).toEqual([
      ['approve', restamp.id, 'applied', 'e2e-op'],
      ['reject', alias.id, 'recorded', 'e2e-op'],
      ['export', '', 'recorded', 'e2e-op'],
      ['export', '', 'recorded', 'e2e-op'],
    ]);
    expect(audit[0].changes).toEqual(restamp.changes);
    expect(audit[1]).toMatchObject({ changes: alias.changes, note: 'swap it by hand' });

    const md = readdirSync(dir).find((x) => /^demo\.snapshot-.*\.md$/.test(x))!;
    const json = readdirSync(dir).find((x) => /^demo\.snapshot-.*\.json$/.test(x))!;
    expect(readFileSync(join(dir, md), 'utf8')).toMatch(/^# gc-tui report: demo-city/);
    const snap = JSON.parse(readFileSync(join(dir, json), 'utf8'));
    expect(snap.schema).toBe('gc-tui/1');
    expect(snap.decisions).toHaveLength(1);
    // A json snapshot reopens as a store.
    expect(checkJson(join(dir, json)).metrics).toEqual(checkJson(file).metrics);
  });

  test('a card changed from outside: one a writes nothing and the card shows old vs new; a second a applies the new diff', async () => {
    start(file, '--by e2e-op');
    await waitForScreen((x) => x.includes('HEALTH'), 'the console');
    keys('6');
    await waitForScreen((x) => x.includes('undecided'), 'the repairs view');
    keys('/');
    literal('restamp-slot dc-f2b');
    keys('Enter');
    await waitForScreen(
      (x) => /^> undecided .*restamp-slot/m.test(x) && x.includes('~ metadata.pool_slot: "5" → "2"'),
      'the card as opened',
    );
    // Another writer restamps the bead (atomically, as Gas City does); the console's watcher re-reads it.
    const doc = readDoc(file);
    doc.beads.find((b) => b.id === 'dc-f2b')!.metadata!.pool_slot = '7';
    writeFileSync(`${file}.tmp`, JSON.stringify(doc, null, 2));
    renameSync(`${file}.tmp`, file);
    const bytes = readFileSync(file, 'utf8');
    keys('Enter');
    const s = await waitForScreen((x) => x.includes('CHANGED since you opened it'), 'the changed card');
    expect(s).toMatch(/You opened \(not applied\):\n\s+~ metadata\.pool_slot: "5" → "2"/);
    expect(s).toMatch(/Now proposed:\n\s+~ metadata\.pool_slot: "7" → "2"/);
    keys('a');
    await waitForScreen((x) => statusLine(x).includes('acknowledged the new diff of restamp-slot:dc-f2b'), 'the acknowledgement');
    expect(readFileSync(file, 'utf8')).toBe(bytes);
    expect(existsSync(`${file}.audit.jsonl`)).toBe(false);
    keys('a');
    await waitForScreen((x) => statusLine(x).includes('applied restamp-slot:dc-f2b'), 'applied');
    expect(readDoc(file).beads.find((b) => b.id === 'dc-f2b')!.metadata!.pool_slot).toBe('2');
    expect(readAudit(file)).toMatchObject([
      { repair: 'restamp-slot:dc-f2b', result: 'applied', changes: [{ field: 'metadata.pool_slot', before: '7', after: '2' }] },
    ]);
    keys('q');
    await waitForScreen((x) => x.includes('EXITED:0'), 'exit');
  });

  test('bulk-approving round after round empties the plan; the header agrees with check --json', async () => {
    start(file);
    await waitForScreen((x) => x.includes('HEALTH'), 'the console');
    keys('6');
    await waitForScreen((x) => x.includes('undecided'), 'the repairs view');
    let rounds = 0;
    for (; rounds < 10; rounds++) {
      const s = app.screen();
      if (/(?:^|│ )repairs 0 /.test(s.split('\n')[1])) break;
      keys('A');
      // The review pane: paged through to its end (its title's range), then the count its prompt asks for.
      const range = (x: string) => /\((\d+)–(\d+) of (\d+)\)/.exec(x);
      // Settled, as every page after it: a page counts as read once it has stayed on screen a moment.
      let pane = await app.waitFor((x) => range(x) !== null && /Type (\d+)/.test(x), 'the review pane', undefined, { settled: true });
      for (let page = 0; page < 40 && pane.includes('scroll to the end to approve'); page++) {
        const at = range(pane)![0];
        keys('Space');
        // Settled: a page counts as read once it has stayed on screen a moment (a page passed in a burst may never
        // have been drawn).
        pane = await app.waitFor((x) => range(x)?.[0] !== at || !x.includes('scroll to the end'), 'the next page', undefined, {
          settled: true,
        });
      }
      pane = await waitForScreen((x) => !x.includes('scroll to the end') && /Type (\d+)/.test(x), 'read to its end');
      const count = /Type (\d+)/.exec(pane)![1];
      literal(count);
      keys('Enter');
      // The round is over when the status line says what became of each of its repairs (`A` cleared the last round's
      // message) and nothing is being written: the plan made after the write is taken before that is said, so the
      // header on that screen counts it, and the next round starts from it (the header's count need not change).
      const said = (x: string) => /^(\d+) applied, (\d+) stale /.exec(statusLine(x));
      const done = await app.waitFor(
        (x) => Number(said(x)?.[1]) + Number(said(x)?.[2]) === Number(count) && !statusLine(x).includes('applying'),
        `round ${rounds + 1}`,
        undefined,
        { settled: true },
      );
      expect(/(?:^|│ )repairs (\d+) /.exec(done.split('\n')[1])?.[1], `the header after round ${rounds + 1}`).toBe(
        String(checkJson(file).repairs.length),
      );
    }
    expect(rounds).toBeGreaterThanOrEqual(2); // the rollback budget (5 per plan) needs a second round
    expect(rounds).toBeLessThan(10);
    const s = await waitForScreen((x) => /(?:^|│ )repairs 0 /.test(x.split('\n')[1]), 'an empty plan');
    const shown = headerFigures(s);
    const check = checkJson(file);
    expect(check.repairs).toEqual([]);
    for (const [label, key] of Object.entries(FIGURE_OF)) expect(shown[label], label).toBe(check.metrics[key]);
    // Only what a conflict, a live duplicate, an out-of-bounds identity or an unresolved template blocks remains.
    expect(check.metrics).toMatchObject({
      mismatched_aliases: 0,
      cross_template_assignments: 0,
      orphaned_work: 0,
      stale_creates: 0,
      deferred_rollbacks: 0,
    });
    keys('q');
    await waitForScreen((x) => x.includes('EXITED:0'), 'exit');
  });
});
