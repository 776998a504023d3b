// Issue 11's check, as a person would do it: the built CLI on the live demo (`--demo`, its simulated controller
// drifting the store meanwhile) in an 80×24 tmux, five repairs reviewed end to end with only the keys the footer
// shows at that moment (each key is looked up in the footer on screen, never assumed), every frame fitting the
// terminal, and the store on disk changed exactly as the card said: approved diffs written, the rejection
// recorded with its reason, the skipped repair untouched.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import type { Decision } from '../../src/engine/types.js';
import type { AuditEntry, StoreDocument } from '../../src/store/types.js';
import { tempDir } from '../support/files.js';
import { CLI } from './cli-helpers.js';
import { TmuxApp, hasTmux } from './tmux-driver.js';
import { lines } from '../support/frame-lines.js';

const COLS = 80;
const ROWS = 24;
let app = new TmuxApp();
afterEach(() => app.kill());

/** Ink's frame is one line shorter than the terminal: the footer is its last line, the status line above it. */
const footer = (s: string) => lines(s)[ROWS - 2] ?? '';
const statusLine = (s: string) => lines(s)[ROWS - 3] ?? '';
/** The status message: on the status line, or from the line above it when it wraps over two (a long outcome). */
const message = (s: string) => {
  const above = lines(s)[ROWS - 4] ?? '';
  return /^(applied|acknowledged|stale|rejected|left) /.test(above) ? `${above} ${statusLine(s)}` : statusLine(s);
};

/** The footer's hints, "a approve  r reject  …", as hint → the first key listed for it. */
function footerKeys(s: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const item of footer(s)
    .trim()
    .split(/\s{2,}/)) {
    const [keys, ...hint] = item.split(' ');
    if (hint.length) out.set(hint.join(' '), keys.split('/')[0]);
  }
  return out;
}

/** The footer's key labels as tmux key names. */
const TMUX_KEY: Record<string, string> = { enter: 'Enter', esc: 'Escape', tab: 'Tab', space: 'Space', PgDn: 'NPage', PgUp: 'PPage' };

/** The whole frame fits 80×24: its header on the first line (nothing scrolled off), no line wider, the last row free. */
function expectFitsScreen(s: string, what: string): void {
  const ls = lines(s);
  expect(ls[0], `${what}: the header on top\n${s}`).toMatch(/^gc-tui /);
  for (const l of ls) expect([...l].length, `${what}: too wide\n${s}`).toBeLessThanOrEqual(COLS);
  expect(
    ls.slice(ROWS - 1).every((l) => l.trim() === ''),
    `${what}: taller than ${ROWS - 1} lines\n${s}`,
  ).toBe(true);
}

/** Press the key the footer shows for `hint` now; the test fails when the footer does not offer it. */
async function press(hint: string): Promise<void> {
  const s = await app
    .waitFor((x) => footerKeys(x).has(hint), `"${hint}" in the footer`, 10_000, { settled: true })
    .catch(() => {
      throw new Error(`the footer does not show "${hint}":\n${footer(app.screen())}`);
    });
  const key = footerKeys(s).get(hint)!;
  app.keys(TMUX_KEY[key] ?? key);
}

interface Shown {
  id: string;
  beadId: string;
  diff: { field: string; after: string }[];
}

/** The repair on the full card: its id (the title's first word) and the diff under "Change:" / "Now proposed:". */
function readCard(s: string): Shown {
  const ls = lines(s);
  const id = /^(\S+:\S+)/.exec(ls[4] ?? '')![1];
  const from = Math.max(ls.indexOf('Change:'), ls.indexOf('Now proposed:'));
  const diff: Shown['diff'] = [];
  for (const l of ls.slice(from + 1)) {
    const m = /^ {2}[~+-] (\S+): (".*") → (".*")\s*$/.exec(l);
    if (!m) break;
    diff.push({ field: m[1], after: JSON.parse(m[3]) as string });
  }
  return { id, beadId: id.slice(id.indexOf(':') + 1), diff };
}

function fieldOf(doc: StoreDocument, beadId: string, field: string): string {
  const bead = doc.beads.find((b) => b.id === beadId) as unknown as Record<string, unknown> & { metadata?: Record<string, unknown> };
  const v = field.startsWith('metadata.') ? bead.metadata?.[field.slice('metadata.'.length)] : bead[field];
  return v === undefined || v === null ? '' : String(v);
}

test.skipIf(!hasTmux)(
  '80×24 on the demo: five repairs reviewed end to end with only the keys in the footer',
  async () => {
    app = new TmuxApp();
    const tmp = tempDir('gc-tui-tmux-footer-');
    app.start(CLI, '--demo --by e2e-footer', { x: COLS, y: ROWS, env: `TMPDIR=${tmp}` });
    let s = await app.waitFor((x) => x.includes('HEALTH'), 'the console', 30_000, { settled: true });
    expectFitsScreen(s, 'the first view');
    const demoDir = readdirSync(tmp).find((d) => d.startsWith('gc-tui-demo-'))!;
    const file = join(tmp, demoDir, 'demo-city.json');
    const doc = () => JSON.parse(readFileSync(file, 'utf8')) as StoreDocument;
    const audit = () =>
      readFileSync(`${file}.audit.jsonl`, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as AuditEntry);

    // To the review queue with the footer's `view` key: the view bar names the view it is on.
    for (let i = 0; i < 8 && !/\b6 repairs\b/.test(lines(s)[2]); i++) {
      const was = lines(s)[2];
      await press('view');
      s = await app.waitFor((x) => lines(x)[2] !== was, 'the next view', 10_000, { settled: true });
      expectFitsScreen(s, `view ${lines(s)[2]}`);
    }
    expect(lines(s)[2]).toMatch(/\b6 repairs\b/);

    const decisions = ['approve', 'reject', 'skip', 'approve', 'approve'] as const;
    const done: { id: string; decision: (typeof decisions)[number] }[] = [];
    for (const decision of decisions) {
      await press('card');
      s = await app.waitFor((x) => x.includes(' Repair card — '), 'the full card', 10_000, { settled: true });
      expectFitsScreen(s, 'the card');
      let shown = readCard(s);
      expect(shown.diff.length, `the diff on the card of ${shown.id}\n${s}`).toBeGreaterThan(0);
      expect(done.map((d) => d.id)).not.toContain(shown.id);
      const more = Number(/… (\d+) more line\(s\)/.exec(s)?.[1] ?? 0);
      if (more > 0) {
        await press('scroll');
        s = await app.waitFor((x) => Number(/… (\d+) more line\(s\)/.exec(x)?.[1] ?? 0) < more, 'the card scrolled', 10_000, {
          settled: true,
        });
        expectFitsScreen(s, 'the card scrolled');
      }

      if (decision === 'approve') {
        // The simulated controller may change the repair meanwhile: the first `a` then only acknowledges the new
        // diff (or the write is stale and the card shows the re-planned one); the card is read again each time.
        for (let attempt = 0; ; attempt++) {
          expect(attempt, `${shown.id} could not be applied`).toBeLessThan(4);
          await press('approve');
          s = await app.waitFor(
            (x) => footerKeys(x).has('choose') || /(applied|acknowledged the new diff of|stale:?) /.test(message(x)),
            'the confirmation or the outcome',
            15_000,
            { settled: true },
          );
          expectFitsScreen(s, `approving ${shown.id}`);
          if (footerKeys(s).has('choose')) {
            // Destructive: Cancel is focused first; the footer's `focus` key moves to Approve.
            expect(s).toContain('[ Cancel ]');
            await press('focus');
            s = await app.waitFor((x) => x.includes('[ Approve ]'), 'Approve focused', 10_000, { settled: true });
            expectFitsScreen(s, 'the confirmation');
            await press('choose');
            s = await app.waitFor((x) => /(applied|stale:?) /.test(message(x)), 'the outcome', 15_000, { settled: true });
          }
          if (message(s).includes(`applied ${shown.id}`)) break;
          if (!s.includes(' Repair card — ')) await press('card');
          s = await app.waitFor((x) => x.includes(' Repair card — '), 'the card again', 10_000, { settled: true });
          shown = readCard(s);
        }
        const after = doc();
        for (const c of shown.diff) expect(fieldOf(after, shown.beadId, c.field), `${shown.id}: ${c.field} on disk`).toBe(c.after);
        expect(
          audit()
            .filter((a) => a.repair === shown.id)
            .map((a) => [a.action, a.result, a.operator]),
        ).toEqual([['approve', 'applied', 'e2e-footer']]);
      } else if (decision === 'reject') {
        await press('reject');
        s = await app.waitFor((x) => footerKeys(x).has('ok'), 'the reason prompt', 10_000, { settled: true });
        expectFitsScreen(s, 'the reason prompt');
        app.literal('fix it by hand');
        s = await app.waitFor((x) => x.includes('fix it by hand'), 'the reason typed', 10_000, { settled: true });
        expectFitsScreen(s, 'the reason typed');
        await press('ok');
        s = await app.waitFor((x) => message(x).includes(`rejected ${shown.id}`), 'rejected', 15_000, { settled: true });
        const recorded = (doc().decisions as Decision[]).find((d) => d.repair === shown.id);
        expect(recorded).toMatchObject({ decision: 'rejected', reason: 'fix it by hand', by: 'e2e-footer' });
      } else {
        const bytes = audit().length;
        await press('skip');
        s = await app.waitFor((x) => message(x).includes('left undecided'), 'skipped', 10_000, { settled: true });
        expect(audit()).toHaveLength(bytes);
        expect((doc().decisions as Decision[]).some((d) => d.repair === shown.id)).toBe(false);
      }
      expectFitsScreen(s, `after ${decision} ${shown.id}`);
      done.push({ id: shown.id, decision });
      // Back to the queue, where the cursor went on to the next undecided repair.
      await press('back');
      s = await app.waitFor((x) => x.includes('─ enter: full card'), 'the queue', 10_000, { settled: true });
      expectFitsScreen(s, 'the queue');
    }
    expect(new Set(done.map((d) => d.id)).size).toBe(5);

    await press('quit');
    await app.waitFor((x) => x.includes('EXITED:0'), 'exit', 15_000);
  },
  180_000,
);
