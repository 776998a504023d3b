// The audit view (7): the one place an operator reads who decided what and why. `enter` opens the selected entry in
// full in the inspect pane (every field, every change as the repair card writes it, the note and reason, a gc
// write's calls and answers), the footer and `?` offer it, and the detail under the list shows every change when
// the list has the room to lend it.
import { afterEach, describe, expect, test } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readAudit } from '../../src/store/audit.js';
import { refreshAudit } from '../../src/console/watch.js';
import type { AuditEntry } from '../../src/store/types.js';
import { tempDir } from '../support/files.js';
import { wrapInspect } from '../../src/ui/inspect.js';
import { diffLine } from '../../src/ui/review/card.js';
import { demoState, storeWith } from './fixture.js';
import { expectFits, KEYS, renderApp, type Harness } from './render.js';

let h: Harness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

const NOTE = 'operator says no: the create is not stale, the controller is restarting and will adopt the session within the hour';
const REASON = 'create of dc-c1a has been pending for 41m (older than the stale-create age of 30m) with no live session: roll it back';

const CHANGES = [
  { field: 'status', before: 'open', after: 'closed' },
  { field: 'metadata.close_reason', before: null, after: 'stale-create' },
  { field: 'metadata.pool_slot', before: '3', after: null },
];

const rejected: AuditEntry = {
  time: '2026-05-06T02:13:00Z',
  operator: 'ana',
  action: 'reject',
  repair: 'rollback-stale-create:dc-c1a',
  kind: 'rollback-stale-create',
  beadId: 'dc-c1a',
  changes: CHANGES,
  reason: REASON,
  note: NOTE,
  result: 'recorded',
};

const throughGc: AuditEntry = {
  time: '2026-05-06T02:20:00Z',
  operator: 'bo\u001b[2Jb',
  action: 'apply',
  batch: '52976377-c7c1-418f-9caa-70d9fb47b5e1',
  repair: 'repair-alias:be-evil',
  kind: 'repair-alias',
  beadId: 'be-evil',
  changes: [{ field: 'metadata.alias', before: 'frontend/worker-1', after: 'backend/worker-2' }],
  reason: 'alias from another pool',
  note: '',
  result: 'stale',
  via: 'gc',
  why: 'gc beads metadata-cas be-evil --key=alias: conflict: the key no longer holds the value gc-tui saw',
  calls: [
    {
      args: ['beads', 'metadata-cas', 'be-evil', '--key=alias', '--expected=frontend/worker-1', '--next=backend/worker-2', '--json'],
      exit: 0,
      stdout: '{"outcome":"conflict"}',
      stderr: '',
      answer: 'conflict',
    },
  ],
};

/** The audit view with `entries` (oldest first, as in the file), the newest selected. */
async function auditView(entries: AuditEntry[], columns = 80, rows = 24): Promise<string> {
  h = renderApp(storeWith(demoState(), { rows, columns }));
  h.store.getState().setAudit(entries);
  await h.press('7');
  return h.waitForFrame((f) => f.includes('OPERATOR') && h!.store.getState().ui.cursors.audit.key !== null, 'the audit view');
}

const flat = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The detail area of a frame: the lines under its rule, down to the status line and the footer. */
const detailOf = (f: string) =>
  f
    .split('\n')
    .slice(f.split('\n').findLastIndex((l) => /^─{20,}/.test(l)) + 1, -2)
    .join('\n');

/** Every line of the open pane, read page by page from the frames (j scrolls; the range says where it is). */
async function paneText(app: Harness, rows: number): Promise<string> {
  const range = (f: string) => /\((\d+)–(\d+) of (\d+)\)/.exec(f)?.slice(1).map(Number) ?? [];
  const seen = new Map<number, string>();
  let f = app.frame();
  for (;;) {
    expectFits(f, 80, rows, 'the pane');
    expect(f.includes('\u001b') || f.includes('\u0007'), 'a raw control character').toBe(false);
    const [first, last, total] = range(f);
    const lines = f.split('\n');
    const at = lines.findIndex((l) => /\(\d+–\d+ of \d+\)/.test(l));
    lines.slice(at + 1, at + 1 + last - first + 1).forEach((l, i) => seen.set(first + i, l));
    if (last === total) break;
    await app.press(KEYS.pgdn);
    f = await app.waitForFrame((x) => range(x)[0] > first, 'the next page');
  }
  return flat(
    [...seen.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, l]) => l)
      .join(' '),
  );
}

describe('enter: an audit entry in full', () => {
  test("a rejection: every field, every change as the repair card writes it, the operator's note and why the repair, wrapped", async () => {
    await auditView([throughGc, rejected]);
    await h!.press(KEYS.enter);
    const f = await h!.waitForFrame((x) => x.includes('audit rollback-stale-create:dc-c1a') && x.includes('esc/q/y close'), 'the pane');
    expectFits(f, 80, 24);
    const text = await paneText(h!, 24);
    for (const want of [
      'time: 2026-05-06T02:13:00Z',
      'operator: ana',
      'action: reject',
      'result: recorded',
      'repair: rollback-stale-create:dc-c1a',
      'kind: rollback-stale-create',
      'bead: dc-c1a',
      // The card's notation: ~ a change, + a value where there was none, - none where there was one.
      '~ status: "open" → "closed"',
      '+ metadata.close_reason: "" → "stale-create"',
      '- metadata.pool_slot: "3" → ""',
      ...CHANGES.map((c) => diffLine(c).text),
      `operator's note: ${NOTE}`,
      `why the repair: ${REASON}`,
    ])
      expect(text).toContain(flat(want));
    expect(text).not.toContain('batch:');
    expect(text).not.toContain('(absent)');
    // The file's key names are not the labels: on screen they read backwards (the operator's text is the "note").
    expect(text.replaceAll("operator's note: ", '')).not.toMatch(/(^| )(note|reason): /);
    await h!.press(KEYS.esc);
    await h!.waitForFrame((x) => x.includes('OPERATOR'), 'back to the list');
  });

  test('a write through gc: its batch, why, and every call with its answer; control characters escaped', async () => {
    await auditView([rejected, throughGc], 80, 14);
    await h!.press(KEYS.enter);
    await h!.waitForFrame((x) => x.includes('audit repair-alias:be-evil') && x.includes('esc/q/y close'), 'the pane');
    const text = await paneText(h!, 14);
    for (const want of [
      'operator: bo\\e[2Jb',
      `batch: ${throughGc.batch}`,
      diffLine(throughGc.changes[0]).text,
      'via: gc',
      `why: ${throughGc.why}`,
      `'gc' 'beads' 'metadata-cas' 'be-evil' '--key=alias'`,
      'answer conflict · exit 0',
      'stdout: {"outcome":"conflict"}',
    ])
      expect(text).toContain(flat(want));
    // What the pane holds is what it shows, wrapped to the width.
    const lines = h!.store.getState().ui.inspect?.lines ?? [];
    expect(text).toContain(flat(wrapInspect(lines, 80).join(' ')).slice(0, 200));
  });

  test('the footer offers it, and ? lists it under the audit view', async () => {
    const f = await auditView([rejected]);
    expect(f).toContain('enter detail');
    await h!.press('?');
    let page = await h!.waitForFrame((x) => x.includes('Keys ('), 'help');
    const range = (x: string) => /Keys \((\d+)–(\d+) of (\d+)\)/.exec(x)?.slice(1).map(Number) ?? [];
    let all = '';
    for (;;) {
      all += ` ${page}`;
      const [first, last, total] = range(page);
      if (last === total) break;
      await h!.press(KEYS.pgdn);
      page = await h!.waitForFrame((x) => range(x)[0] > first, 'the next help page');
    }
    // Under its heading, on the same page or (a page break between them) the next.
    expect(flat(all)).toMatch(
      /Audit view (\?\/esc\/q close [^(]*Keys \(\d+–\d+ of \d+\) — \? or esc closes )?enter Open the selected entry in full/,
    );
  });
});

describe('a log line edited by hand', () => {
  test('numbers, booleans and objects where the log has text show as typed; the console goes on', async () => {
    const dir = tempDir('gc-tui-audit-edit-');
    const store = join(dir, 'store.json');
    const line = {
      time: '2026-05-06T02:13:00Z',
      operator: 'x',
      action: 'apply',
      repair: 'repair-alias:b1',
      kind: 'repair-alias',
      beadId: 'b1',
      changes: [{ field: 5, before: 3, after: true }, { field: 'metadata.a', before: null, after: { x: 1 } }, 'not a change'],
      reason: 7,
      note: null,
      result: 'applied',
      calls: [{ args: ['beads', 4], exit: '0', stdout: 1, stderr: null, answer: 'ok' }],
    };
    writeFileSync(`${store}.audit.jsonl`, `${JSON.stringify(line)}\n[1,2]\n"text"\n`);
    const entries = readAudit({ kind: 'store', path: store });
    expect(entries).toHaveLength(1);
    await auditView(entries);
    await h!.press(KEYS.enter);
    await h!.waitForFrame((x) => x.includes('audit repair-alias:b1') && x.includes('esc/q/y close'), 'the pane');
    const text = await paneText(h!, 24);
    for (const want of ['~ 5: "3" → "true"', '+ metadata.a: "" → "{\\"x\\":1}"', 'why the repair: 7', "'gc' 'beads' '4'"])
      expect(text).toContain(want);
  });

  test('a number JSON cannot hold shows as written, not "null"; a `written` that is no list heads nothing; `{}` is no row', async () => {
    const dir = tempDir('gc-tui-audit-edit-');
    const store = join(dir, 'store.json');
    const line = (repair: string, rest: string) =>
      `{"time":"2026-05-06T02:13:00Z","operator":"x","action":"apply","repair":"${repair}","kind":"restamp-slot","beadId":"b1",` +
      `"changes":[{"field":"metadata.pool_slot","before":1e309,"after":"2"}],"reason":"r","note":"","result":"applied"${rest}}`;
    writeFileSync(`${store}.audit.jsonl`, `${line('restamp-slot:b1', ',"written":"no"')}\n{}\n`);
    const entries = readAudit({ kind: 'store', path: store });
    expect(entries.map((e) => e.repair)).toEqual(['restamp-slot:b1']);
    await auditView(entries);
    await h!.press(KEYS.enter);
    await h!.waitForFrame((x) => x.includes('audit restamp-slot:b1') && x.includes('esc/q/y close'), 'the pane');
    const text = await paneText(h!, 24);
    expect(text).toContain('~ metadata.pool_slot: "Infinity" → "2"');
    expect(text).not.toContain('null');
    expect(text).not.toContain('written (what the file got instead)');
  });
});

describe('the detail under the audit list', () => {
  test("a short log lends its empty rows: every change shows, then the operator's note and why the repair, within 80×24", async () => {
    const f = await auditView([throughGc, rejected]);
    expectFits(f, 80, 24);
    for (const c of CHANGES) expect(f).toContain(diffLine(c).text);
    expect(f).not.toContain('(absent)');
    expect(f).toContain("operator's note: operator says no");
    expect(f).toContain('create of dc-c1a has been pending');
    expect(f).not.toContain('more line(s)');
  });

  test("an export's reason is what it did, not why a repair", async () => {
    const exported: AuditEntry = {
      ...rejected,
      action: 'export',
      repair: '',
      kind: 'md',
      beadId: '',
      changes: [],
      reason: 'wrote /srv/city/gc-store.json.snapshot-20260506T021300Z.md',
      note: '',
    };
    const f = await auditView([rejected, exported]);
    expect(detailOf(f)).toContain('what it did: wrote /srv/city/gc-store.json.snapshot-20260506T021300Z.md');
    expect(detailOf(f)).not.toContain('why the repair');
  });

  test('a long note and reason wrap over the lines the detail has, never cut at the edge', async () => {
    const f = await auditView([throughGc, rejected]);
    expectFits(f, 80, 24);
    // Both are longer than the terminal is wide: each reads in full over two lines.
    expect(NOTE.length).toBeGreaterThan(80);
    expect(REASON.length).toBeGreaterThan(80);
    expect(flat(f)).toContain(flat(`operator's note: ${NOTE}`));
    expect(flat(f)).toContain(flat(`why the repair: ${REASON}`));
    expect(detailOf(f)).not.toContain('…');
  });

  test('wrapped text that still does not fit shows what it can, then how many lines are left for enter', async () => {
    const noChanges: AuditEntry = { ...rejected, changes: [] };
    const many = Array.from({ length: 30 }, (_, i) => ({ ...throughGc, time: `2026-05-06T01:${String(i).padStart(2, '0')}:00Z` }));
    const f = await auditView([...many, noChanges], 80, 40);
    expectFits(f, 80, 40);
    // The note's second line shows (it wrapped), then the last line sends the rest (the reason) to enter.
    const rest = flat(`operator's note: ${NOTE}`).slice(80);
    expect(flat(f)).toContain(rest.split(' ').slice(1, 6).join(' '));
    expect(f).toMatch(/… 2 more line\(s\) — enter shows the entry in full/);
  });

  test('a full log keeps its rows and says how many lines are left out and that enter shows them', async () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ ...throughGc, time: `2026-05-06T01:${String(i).padStart(2, '0')}:00Z` }));
    const f = await auditView([...many, rejected]);
    expectFits(f, 80, 24);
    expect(f).toMatch(/… \d+ more line\(s\) — enter shows the entry in full/);
  });
});

describe('unreadable lines of the log', () => {
  test('the audit view says how many lines it could not read and which, and still shows the others', async () => {
    const dir = tempDir('gc-tui-audit-torn-');
    const store = join(dir, 'store.json');
    const good = JSON.stringify(rejected);
    // Line 2 torn by a crash, line 4 not JSON, line 5 a torn start with an entry glued after it (kept), line 6 no entry.
    writeFileSync(`${store}.audit.jsonl`, `${good}\n{"time":"2026-05-06T02:1\n${good}\ngarbage\n{"time":"x","oper${good}\n{}\n`);
    h = renderApp(storeWith(demoState(), { rows: 24, columns: 100 }));
    refreshAudit(h.store, { kind: 'store', path: store });
    await h.press('7');
    const f = await h.waitForFrame((x) => x.includes('OPERATOR') && x.includes('of the audit log'), 'the audit view');
    expect(flat(f)).toContain('4 lines of the audit log could not be read (line 2, 4, 5, 6)');
    expect(h.store.getState().audit).toHaveLength(3);
    expect(f.match(/reject/g)?.length).toBeGreaterThanOrEqual(3);
  });

  test('a log read whole says nothing of it', async () => {
    const dir = tempDir('gc-tui-audit-whole-');
    const store = join(dir, 'store.json');
    writeFileSync(`${store}.audit.jsonl`, `${JSON.stringify(rejected)}\n\n`);
    h = renderApp(storeWith(demoState(), { rows: 24, columns: 100 }));
    refreshAudit(h.store, { kind: 'store', path: store });
    await h.press('7');
    const f = await h.waitForFrame((x) => x.includes('OPERATOR') && x.includes('ana'), 'the audit view');
    expect(f).not.toContain('could not be read');
  });
});
