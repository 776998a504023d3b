// The audit view after each refresh reads only what was appended to the log since the last read: an appended line shows,
// a line still being appended waits (it is not an unreadable line), one that stays torn is then said unreadable as the
// CLI's read says it, and a log replaced or cut is read whole again.
import { afterEach, describe, expect, test } from 'vitest';
import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { refreshAudit } from '../../src/console/watch.js';
import { readAudit, type AuditLog } from '../../src/store/audit.js';
import type { AuditEntry, Source } from '../../src/store/types.js';
import { tempDir } from '../support/files.js';
import { demoState, storeWith } from './fixture.js';
import { KEYS, renderApp, type Harness } from './render.js';

let h: Harness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

const entry = (operator: string, bead: string): AuditEntry => ({
  time: '2026-05-06T02:13:00Z',
  operator,
  action: 'reject',
  repair: `restamp-slot:${bead}`,
  kind: 'restamp-slot',
  beadId: bead,
  changes: [{ field: 'metadata.pool_slot', before: '3', after: '2' }],
  reason: 'owned slot is 2',
  note: 'not now',
  result: 'recorded',
});
const line = (e: AuditEntry) => `${JSON.stringify(e)}\n`;

/** The audit view of a console whose log holds `first`; the log's path and a refresh that reads it again. */
async function auditOn(first: AuditEntry[]) {
  const store = join(tempDir('gc-tui-audit-tail-'), 'store.json');
  const log = `${store}.audit.jsonl`;
  writeFileSync(log, first.map(line).join(''));
  const source: Source = { kind: 'store', path: store };
  h = renderApp(storeWith(demoState(), { rows: 24, columns: 120 }));
  refreshAudit(h.store, source);
  await h.press('7');
  await h.waitForFrame((x) => x.includes('OPERATOR') && first.every((e) => x.includes(e.operator)), 'the audit view');
  return { log, source, refresh: () => refreshAudit(h!.store, source) };
}

const operators = (h: Harness) => h.store.getState().audit.map((e) => e.operator);

/** The audit view drawn anew after what came before (`?` and back): a frame of the state as it is now. */
async function redrawn(h: Harness): Promise<string> {
  await h.press('?');
  await h.waitForFrame((x) => !x.includes('OPERATOR'), 'the help');
  await h.press(KEYS.esc);
  return h.waitForFrame((x) => x.includes('OPERATOR'), 'the audit view again');
}

describe('the audit log read again', () => {
  test('an appended line shows; one still being appended waits, and is no unreadable line', async () => {
    const { log, refresh } = await auditOn([entry('ana', 'fe-a'), entry('bo', 'fe-b')]);
    appendFileSync(log, line(entry('cyd', 'fe-c')));
    refresh();
    await h!.waitForFrame((x) => x.includes('cyd'), 'the appended line');
    // Half a line: its writer is still appending it.
    const half = line(entry('dee', 'fe-d'));
    appendFileSync(log, half.slice(0, 40));
    refresh();
    let f = await redrawn(h!);
    expect(f).toContain('cyd');
    expect(f).not.toContain('could not be read');
    expect(operators(h!)).toEqual(['ana', 'bo', 'cyd']);
    appendFileSync(log, half.slice(40));
    refresh();
    f = await h!.waitForFrame((x) => x.includes('dee'), 'the line, whole');
    expect(f).not.toContain('could not be read');
    expect(operators(h!)).toEqual(['ana', 'bo', 'cyd', 'dee']);
  });

  test('a last line left torn (its writer killed): said unreadable at the next read that finds the log as it was, as the CLI says it', async () => {
    const { log, source, refresh } = await auditOn([entry('ana', 'fe-a'), entry('bo', 'fe-b')]);
    appendFileSync(log, line(entry('cyd', 'fe-c')).slice(0, 40));
    refresh();
    let f = await redrawn(h!);
    expect(f).not.toContain('could not be read');
    // Nothing written since: the line stays torn.
    refresh();
    f = await h!.waitForFrame((x) => x.includes('could not be read'), 'the torn line said');
    const said = '1 line of the audit log could not be read (line 3)';
    expect(f.replace(/\s+/g, ' ')).toContain(said);
    expect(readAudit(source).unreadable).toEqual([3]);
    refresh();
    expect((h!.store.getState().audit as AuditLog).unreadable).toEqual([3]);
    // The next write appends after it: the torn start is still line 3, and the entry glued to it shows.
    appendFileSync(log, line(entry('dee', 'fe-d')));
    refresh();
    f = await h!.waitForFrame((x) => x.includes('dee'), 'the entry appended after it');
    expect(f.replace(/\s+/g, ' ')).toContain(said);
    expect(operators(h!)).toEqual(['ana', 'bo', 'dee']);
  });

  test('a torn last line said unreadable and then completed after all is an entry, and the count goes', async () => {
    const { log, refresh } = await auditOn([entry('ana', 'fe-a')]);
    const half = line(entry('bo', 'fe-b'));
    appendFileSync(log, half.slice(0, 40));
    refresh();
    refresh();
    await h!.waitForFrame((x) => x.includes('could not be read'), 'the torn line said');
    appendFileSync(log, half.slice(40));
    refresh();
    const f = await h!.waitForFrame((x) => operators(h!).includes('bo') && !x.includes('could not be read'), 'the line, whole');
    expect(f).toContain('ana');
    expect(operators(h!)).toEqual(['ana', 'bo']);
  });

  test('an unreadable line appended is named by its line in the whole log', async () => {
    const { log, refresh } = await auditOn([entry('ana', 'fe-a'), entry('bo', 'fe-b')]);
    appendFileSync(log, `garbage\n${line(entry('cyd', 'fe-c'))}`);
    refresh();
    const f = await h!.waitForFrame((x) => x.includes('could not be read'), 'the unreadable line said');
    expect(f.replace(/\s+/g, ' ')).toContain('1 line of the audit log could not be read (line 3)');
    expect(operators(h!)).toEqual(['ana', 'bo', 'cyd']);
  });

  test.each([
    [
      'replaced by another file (renamed over it)',
      (log: string, text: string) => (writeFileSync(`${log}.tmp`, text), renameSync(`${log}.tmp`, log)),
    ],
    ['cut and rewritten shorter in place', (log: string, text: string) => writeFileSync(log, text)],
  ])('a log %s is read whole again', async (_how, rewrite) => {
    const { log, refresh } = await auditOn([entry('ana', 'fe-a'), entry('bo', 'fe-b'), entry('cyd', 'fe-c')]);
    rewrite(log, line(entry('eve', 'fe-e')));
    refresh();
    const f = await h!.waitForFrame((x) => x.includes('eve'), 'the rewritten log');
    expect(f).not.toContain('ana');
    expect(operators(h!)).toEqual(['eve']);
  });
});
