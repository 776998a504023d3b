// A metadata value of megabytes (a 2 MB alias): the console draws its start and its length, never the whole of
// it, so every key answers at once; the repair whose change holds it can never be all on screen, so a, r, space
// and A refuse it and say where to review it whole (the headless apply --dry-run).
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
  const state = demoCity();
  state.beads.find((b) => b.id === 'dc-f1a')!.metadata!.alias = HUGE;
  disk = await onDisk(state, { rows: 30, columns: 100 });
  const app = (h = renderApp(disk.store, { services: disk.live.services }));
  await app.press('6');
  await waitForView(app, 'repairs');
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
  expect(card).toContain('UNDECIDED — a value is too long to show: decide it with gc-tui apply (below) · s skip');
  await app.press('a');
  await app.waitForFrame((f) => f.includes('holds a value too long to show here') && f.includes('nothing approved'), 'the refusal of a');
  await app.press('A');
  await app.waitForFrame((f) => f.includes('A: the change of') && f.includes('nothing approved'), 'the refusal of A');
  expect(disk.audit()).toEqual([]);
  expect(disk.bead('dc-f1a').metadata!.alias).toBe(HUGE);
});
