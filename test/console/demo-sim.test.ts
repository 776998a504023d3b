// The demo controller: every step is a valid locked write, and one cycle shows every kind of drift.
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { plan } from '../../src/engine/index.js';
import { createDemoSim, DEMO_STEPS } from '../../src/console/demo-sim.js';
import { demoFixturePath } from '../../src/store/demo.js';
import { loadStore } from '../../src/store/formats/load-store.js';
import { tempDir } from '../support/files.js';
import { until } from '../support/wait.js';

function copyDemo(): string {
  const file = join(tempDir('gc-tui-demo-test-'), 'demo.json');
  copyFileSync(demoFixturePath(), file);
  return file;
}

test('one cycle of the simulation produces creates, stale creates, foreign aliases, duplicates and cross-template work', async () => {
  const file = copyDemo();
  const now = new Date('2026-05-06T03:00:00Z');
  const before = plan((await loadStore(file)).state, now).metrics;
  const steps: string[] = [];
  const sim = createDemoSim({ file, seed: 7, now: () => now, onStep: (k) => steps.push(k) });
  for (let i = 0; i < DEMO_STEPS.length; i++) await sim.step();
  expect(steps).toEqual([...DEMO_STEPS]);
  const loaded = await loadStore(file);
  const after = plan(loaded.state, now).metrics;
  expect(after.stale_creates).toBeGreaterThan(before.stale_creates);
  expect(after.duplicate_slots).toBeGreaterThan(before.duplicate_slots);
  expect(after.cross_template_assignments).toBeGreaterThan(before.cross_template_assignments);
  expect(after.mismatched_aliases + after.alias_conflicts).toBeGreaterThan(before.mismatched_aliases + before.alias_conflicts);
  expect(loaded.state.beads.some((b) => b.metadata?.state === 'creating' && b.labels?.includes('gc-tui:demo'))).toBe(true);
});

test('the simulation keeps the file valid and keeps top-level keys it does not know', async () => {
  const file = copyDemo();
  const original = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const sim = createDemoSim({ file, seed: 3, maxCreated: 3 });
  for (let i = 0; i < 3 * DEMO_STEPS.length; i++) await sim.step();
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  for (const k of Object.keys(original)) expect(doc).toHaveProperty(k);
  const loaded = await loadStore(file);
  const openDemo = loaded.state.beads.filter(
    (b) => b.labels?.includes('gc-tui:demo') && b.status !== 'closed' && b.issue_type === 'session',
  );
  expect(openDemo.length).toBeLessThanOrEqual(3 + 1);
});

test('start/stop runs steps on its interval and stops cleanly', async () => {
  const file = copyDemo();
  const seen: string[] = [];
  const sim = createDemoSim({ file, intervalMs: 20, onStep: (_k, s) => seen.push(s) });
  sim.start();
  await until(() => seen.length >= 2, 'two steps');
  await sim.stop();
  const n = seen.length;
  await new Promise((r) => setTimeout(r, 60));
  expect(seen.length).toBe(n);
});
