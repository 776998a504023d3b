// A metadata value of megabytes (a 2 MB alias): the console draws its start and its length, never the whole of
// it, so every key answers at once; the repair whose change holds it can never be all on screen, so a, r and space
// refuse it and say where to review it whole (the headless apply --dry-run), and A leaves it out of its set.
import { afterEach, expect, test } from 'vitest';
import { cutLong, quoted } from '../../src/ui/text.js';
import { demoCity } from './fixture.js';
import { KEYS, renderApp, waitForView, type Harness } from './render.js';
import { onDisk, type OnDisk } from './review-harness.js';

let h: Harness | null = null;
let disk: OnDisk | null = null;
afterEach(async () => {
  h?.unmount();
  h = null;
  await disk?.close();
  disk = null;
});

const HUGE = 'A'.repeat(2_000_000);
const ID = 'repair-alias:dc-f1a';

/** The demo city on disk with dc-f1a's alias 2 MB long, its repairs view open at `columns`×`rows`. */
async function repairsWithHugeAlias(rows: number, columns: number): Promise<{ app: Harness; on: OnDisk }> {
  const state = demoCity();
  state.beads.find((b) => b.id === 'dc-f1a')!.metadata!.alias = HUGE;
  const on = (disk = await onDisk(state, { rows, columns }));
  const app = (h = renderApp(on.store, { services: on.live.services }));
  await app.press('6');
  await waitForView(app, 'repairs');
  return { app, on };
}

test('a long value is quoted as its start and its length, before any per-character work', () => {
  const q = quoted(HUGE);
  expect(q.length).toBeLessThan(300);
  expect(q).toMatch(/^"A+"…\(2 000 000 characters\)$/);
  expect(cutLong('x'.repeat(4096))).toEqual({ head: 'x'.repeat(4096), note: '' });
  // A cut never splits a character written as two UTF-16 units.
  expect(cutLong('🚀'.repeat(3000)).head).toBe('🚀'.repeat(100));
  expect(cutLong('🚀'.repeat(3000)).note).toBe('…(3 000 characters)');
});

test('a 2 MB alias: the keys answer at once, the card shows the value cut with its length, and a refuses it saying where to review it', async () => {
  const { app, on } = await repairsWithHugeAlias(30, 100);
  // Before, each of these keys took over a second (the whole value cleaned, measured and folded every frame).
  const first = 'backfill-template:dc-b4e  R1';
  await app.waitForFrame((f) => f.includes(first), 'the first card');
  const started = performance.now();
  for (let i = 0; i < 4; i++) await app.press('j');
  await app.press('G');
  await app.waitForFrame((f) => !f.includes(first), 'the last card');
  await app.press('g');
  await app.waitForFrame((f) => f.includes(first), 'the first card again');
  expect(performance.now() - started).toBeLessThan(3000);
  await app.press('/', ...'dc-f1a', KEYS.enter, KEYS.enter);
  const card = await app.waitForFrame(
    (f) => f.includes(`${ID} —`) && f.includes('…(2 000 000 characters) → "frontend/worker-1"'),
    'the full card',
  );
  // The title bar and the footer offer no decision on it.
  const lines = card.split('\n');
  for (const line of [lines[3], lines.at(-1)!]) expect(line).not.toMatch(/\ba approve|\br reject|space mark/);
  // The one repair the filter shows: no `s skip`, which would go nowhere.
  expect(card).toMatch(/UNDECIDED — a value is too long to show: decide it with gc-tui apply \(below\) *\n/);
  await app.press('a');
  await app.waitForFrame((f) => f.includes('holds a value too long to show here') && f.includes('nothing approved'), 'the refusal of a');
  await app.press('A');
  await app.waitForFrame((f) => f.includes('A: the change of') && f.includes('nothing approved'), 'the refusal of A');
  expect(on.audit()).toEqual([]);
  expect(on.bead('dc-f1a').metadata!.alias).toBe(HUGE);
});

test('A with nothing marked leaves the repair with a 2 MB value out, saying why, and approves the rest as listed', async () => {
  const { app, on } = await repairsWithHugeAlias(60, 120);
  const plan = on.store.getState().current!.plan;
  expect(plan.repairs.map((r) => r.id)).toContain(ID);
  const n = plan.repairs.length - 1;
  // The footer offers A: the rest can be approved.
  const list = await app.waitForFrame((f) => f.includes('backfill-template:dc-b4e  R1'), 'the first card');
  expect(list.split('\n').at(-1)).toContain('A approve all');
  await app.press('A');
  const pane = await app.waitForFrame((f) => /^Type \d+ to approve/m.test(f) && f.includes('TOO LONG'), 'the pane, read');
  // Its group counts it left out; its line says why and where to decide it; the count leaves it out.
  expect(pane).toMatch(/^3 alias fixes \(1 left out\)$/m);
  expect(pane.replace(/\s+/g, ' ')).toContain(
    `TOO LONG, left out: the change of ${ID} holds a value too long to show here (metadata.alias: 2 000 000 characters): review it with gc-tui apply --dry-run --repair ${ID}`,
  );
  expect(pane).toMatch(new RegExp(`^Type ${n} to approve .*1 with a value too long to show, left out: gc-tui apply`, 'm'));
  expect(pane).not.toContain('A: the change of');
  await app.press(...String(n), KEYS.enter);
  await app.waitForFrame((f) => f.includes(`${n} applied, 0 stale`), 'the outcome');
  // Every other repair applied, that one not: its bead keeps its value, and the audit names the others only.
  const audited = on.audit().map((e) => e.repair);
  expect(audited).toHaveLength(n);
  expect(audited).not.toContain(ID);
  expect(on.bead('dc-f1a').metadata!.alias).toBe(HUGE);
});
