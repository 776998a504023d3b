// `npm run bench` on a tiny store writes every figure of issue 9 with its target, pass/miss and what it was
// measured against. Only the shape is checked: timing goals live in the bench, never in tests. A long test
// (it builds the bench bundle and starts some twenty processes): `npm run test:long`.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { tempDir } from '../support/files.js';

const FIGURES = [
  'plan',
  'validation',
  'check',
  'apply',
  'export-csv',
  'export-md',
  'export-json',
  'check-rss',
  'console-first-frame',
  'idle-cpu',
  'idle-cpu-first',
  'console-rss',
  'key-frame-p95',
  'filter-p95',
  'outside-change-100',
  'outside-change-1000',
  'plan-lands-key-wait',
  'console-rss-use',
  'first-landing-key-wait',
];

interface Figure {
  key: string;
  value: number;
  target: number;
  pass: boolean;
  unit?: string;
  samples?: unknown;
}

test('npm run bench writes every figure with its target and pass/miss', { timeout: 600_000 }, async () => {
  const out = join(tempDir('gc-tui-bench-test-'), 'results.json');
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['scripts/bench.mjs', '--beads', '1000', '--reps', '1', '--idle-ms', '200', '--out', out],
    { maxBuffer: 16 * 2 ** 20 },
  );
  const results = JSON.parse(readFileSync(out, 'utf8')) as {
    beads: number;
    order: string;
    figures: Figure[];
    machine: { nproc: number; loadAverage: { start: number[]; end: number[] } };
  };
  expect(results.beads).toBe(1000);
  // The load it ran under (1, 5 and 15 minutes) at its start and end, as the near-target figures move with it.
  expect(results.machine.loadAverage.start).toHaveLength(3);
  expect(results.machine.loadAverage.end).toHaveLength(3);
  expect(stdout).toMatch(/load average \d+\.\d\d \d+\.\d\d \d+\.\d\d → /);
  expect(results.figures.map((f) => f.key)).toEqual(FIGURES);
  for (const f of results.figures) {
    expect(Number.isFinite(f.value), f.key).toBe(true);
    expect(f.pass, f.key).toBe(f.value <= f.target);
  }
  const keys = results.figures.find((f) => f.key === 'key-frame-p95');
  expect(keys?.unit).toBe('ms');
  expect(Object.keys(keys?.samples ?? {})).toEqual(['j', 'pgdn', 'G', 'view']);
  const launch = results.figures.find((f) => f.key === 'first-landing-key-wait');
  // One list of key waits per launch, each from the first frame to the views made.
  expect((launch?.samples as number[][]).length).toBe(1);
  expect((launch?.samples as number[][])[0].length).toBeGreaterThan(0);
  // Every figure on the city in Gas City's creation order, the headless ones too; the header says so.
  expect(results.order).toBe('created');
  expect(stdout).toMatch(/^the headless figures on the city in created order \(as Gas City's file store keeps it/m);
  expect(stdout).toMatch(/; the beads in created order: `npm run bench/);
  // The README's table, printed for pasting.
  expect(stdout).toMatch(/\| key → frame committed, p95 .* \| ≤ 16\.00 ms \| (pass|miss) \|/);
});
