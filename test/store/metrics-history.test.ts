// The metrics history beside the audit log: bounded however long it is appended to, bad lines skipped and
// counted, never written through a link; the sparkline it is drawn with; the md report's Trend section.
import { existsSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { plan } from '../../src/engine/index.js';
import { appendMetrics, readMetricsHistory } from '../../src/store/metrics-history.js';
import { METRIC_KEYS, parseSampleLine, sampleOf, type MetricsSample } from '../../src/store/metrics-sample.js';
import { renderMarkdown } from '../../src/store/output/export.js';
import { sparkline, squeeze } from '../../src/store/output/sparkline.js';
import type { Source } from '../../src/store/types.js';
import { demoState } from '../ui/fixture.js';
import { NOW } from '../support/builders.js';
import { tempDir, write } from '../support/files.js';
import { PROPERTY_RUNS } from '../support/runs.js';

function storeSource(): Source {
  return { kind: 'store', path: write(join(tempDir(), 'gc-store.json'), '{}\n') };
}

/** A sample `i` minutes after NOW with `repairs` repairs. */
function sample(i: number, repairs: number, session = 'run-1'): MetricsSample {
  const s = sampleOf(plan(demoState(), NOW), new Date(NOW.getTime() + i * 60_000), session, 0);
  return { ...s, repairs };
}

describe('the metrics history file', () => {
  it('sits beside a store as <store>.metrics.jsonl and reads back what was appended', () => {
    const source = storeSource();
    appendMetrics(source, [sample(0, 5), sample(1, 3)]);
    expect(existsSync(`${(source as { path: string }).path}.metrics.jsonl`)).toBe(true);
    const h = readMetricsHistory(source);
    expect(h.samples.map((s) => s.repairs)).toEqual([5, 3]);
    expect(h).toMatchObject({ skipped: 0, error: null });
    expect(h.samples[1]).toEqual(sample(1, 3));
  });

  it('sits in .gc/gc-tui/ for a city, made on the first line', () => {
    const dir = tempDir();
    appendMetrics({ kind: 'city', dir }, [sample(0, 1)]);
    expect(readFileSync(join(dir, '.gc', 'gc-tui', 'metrics.jsonl'), 'utf8')).toContain('"repairs":1');
  });

  it('stays bounded and valid when appended past its cap, and keeps the newest samples', () => {
    const source = storeSource();
    const file = `${(source as { path: string }).path}.metrics.jsonl`;
    const maxBytes = 4096;
    for (let i = 0; i < 200; i++) {
      appendMetrics(source, [sample(i, i)], { maxBytes });
      expect(statSync(file).size).toBeLessThanOrEqual(maxBytes);
    }
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    expect(lines.every((l) => parseSampleLine(l) !== null)).toBe(true);
    const h = readMetricsHistory(source, { maxBytes });
    expect(h.skipped).toBe(0);
    expect(h.samples.at(-1)!.repairs).toBe(199);
    // Oldest dropped, order kept, nothing repeated.
    const repairs = h.samples.map((s) => s.repairs);
    expect(repairs[0]).toBeGreaterThan(100);
    expect(repairs).toEqual([...repairs].sort((a, b) => a - b));
    expect(new Set(repairs).size).toBe(repairs.length);
  });

  it('skips lines that are not samples and says how many, without failing', () => {
    const source = storeSource();
    const file = `${(source as { path: string }).path}.metrics.jsonl`;
    const good = JSON.stringify(sample(0, 7));
    write(
      file,
      [
        good,
        'not json',
        '{"time":"yesterday","session":"x","repairs":1,"findings":0,"metrics":{}}',
        '{"repairs":-1}',
        good.slice(0, 30),
      ].join('\n'),
    );
    const h = readMetricsHistory(source);
    expect(h.samples.map((s) => s.repairs)).toEqual([7]);
    expect(h.skipped).toBe(4);
    expect(h.error).toBeNull();
    // The torn last line is closed before the next append: the new sample reads back.
    appendMetrics(source, [sample(1, 8)]);
    expect(readMetricsHistory(source).samples.map((s) => s.repairs)).toEqual([7, 8]);
  });

  it('is never written or read through a link', () => {
    const source = storeSource();
    const target = write(join(tempDir(), 'elsewhere.jsonl'), '');
    symlinkSync(target, `${(source as { path: string }).path}.metrics.jsonl`);
    expect(() => appendMetrics(source, [sample(0, 1)])).toThrow(/link/);
    expect(readFileSync(target, 'utf8')).toBe('');
    expect(readMetricsHistory(source).error).toMatch(/link/);
  });
});

describe('sparklines', () => {
  it('draw counts from 0: none is the floor, any count is above it, the largest is the top', () => {
    expect(sparkline([0, 1, 2, 4, 8])).toBe('▁▂▃▅█');
    expect(sparkline([0, 0, 0])).toBe('▁▁▁');
    expect(sparkline([3, 3])).toBe('██');
    expect(sparkline([1, 100])).toBe('▂█');
    expect(sparkline([2], 8)).toBe('▃');
  });

  it('squeeze a long series into a width, each column the peak of its slice', () => {
    expect(squeeze([1, 5, 2, 2, 9, 0], 3)).toEqual([5, 2, 9]);
    expect(squeeze([1, 2], 5)).toEqual([1, 2]);
  });
});

describe('the md report', () => {
  it('has a Trend section with a sparkline and first / last / min / max of each figure that moved', () => {
    const state = demoState();
    const p = plan(state, NOW);
    const loaded = { source: storeSource(), state, files: [] };
    const samples = [sample(0, 15), sample(1, 43, 'run-1'), sample(2, 20, 'run-2'), sample(3, 4, 'run-2')];
    const md = renderMarkdown(loaded, p, NOW, { samples, skipped: 1, error: null });
    expect(md).toContain('## Trend');
    expect(md).toContain('4 samples from 2026-05-06T02:13:00Z to 2026-05-06T02:16:00Z, 2 console runs; 1 unreadable lines skipped.');
    expect(md).toMatch(/^\| repairs \| `▃█▄▂` \| 15 \| 4 \| 4 \| 43 \|$/m);
    const f = p.findings.length;
    expect(md).toMatch(new RegExp(`^\\| findings \\| \`(.)\\1\\1\\1\` \\| ${f} \\| ${f} \\| ${f} \\| ${f} \\|$`, 'm'));
    // A kind that was never above 0 is left out.
    expect(md).not.toMatch(/^\| unresolved_templates \| `/m);
    expect(md.indexOf('## Trend')).toBeGreaterThan(md.indexOf('## Figures'));
    expect(md.indexOf('## Trend')).toBeLessThan(md.indexOf('## Pools'));
  });

  it('says when there is no history yet', () => {
    const state = demoState();
    const md = renderMarkdown({ source: storeSource(), state, files: [] }, plan(state, NOW), NOW, { samples: [], skipped: 0, error: null });
    expect(md).toContain('## Trend\n\nNo metrics history yet');
  });

  it("says why the history could not be read as text, its path's markdown and HTML escaped as every other line is", () => {
    // A store named at the longest a name may be: its `.metrics.jsonl` beside it is too long to open, and the error
    // Node gives names the path, with the characters a person may put in a file name.
    const name = 'r|<b>*x*\\';
    const file = write(join(tempDir(), `${name}${'n'.repeat(250 - name.length)}.json`), '{}\n');
    const source: Source = { kind: 'store', path: file };
    const history = readMetricsHistory(source);
    expect(history.error).toContain(name);
    const state = demoState();
    const md = renderMarkdown({ source, state, files: [] }, plan(state, NOW), NOW, history);
    const line = md.split('\n').find((l) => l.startsWith('The metrics history could not be read: '))!;
    // Rendered (CommonMark, GFM): `r|<b>*x*\` as it is; unescaped, a bold tag, emphasis, and a backslash that ate the next character.
    expect(line).toContain(String.raw`r\|&lt;b&gt;\*x\*\\nnn`);
    expect(line).not.toMatch(/<b>|\*x\*|[^\\]\|/);
  });
});

describe('a history line is read as the zod schema it was first written against reads it', () => {
  // The schema parseSampleLine replaced (zod stays out of the console's start): same acceptance, same values.
  const count = z.number().int().nonnegative();
  const reference = z.object({
    time: z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    session: z.string().max(64),
    repairs: count,
    findings: count,
    metrics: z.object(Object.fromEntries(METRIC_KEYS.map((k) => [k, count.default(0)]))),
    decided: z.object({ applied: count.default(0), rejected: count.default(0) }).default({ applied: 0, rejected: 0 }),
  });
  const odd = fc.oneof(fc.constant(null), fc.constant(-1), fc.constant(1.5), fc.constant('3'), fc.constant([]), fc.constant({}));
  const maybe = <T>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 8, arbitrary: good }, { weight: 1, arbitrary: odd });
  const n = maybe(fc.nat({ max: 50 }));
  const line = fc
    .record(
      {
        time: maybe(fc.constantFrom('2026-11-30T15:00:00Z', '2026-11-30 15:00', '')),
        session: maybe(
          fc.oneof(
            fc.string({ maxLength: 8 }),
            fc.constantFrom(64, 65).map((len) => 'r'.repeat(len)),
          ),
        ),
        repairs: n,
        findings: n,
        metrics: maybe(fc.record(Object.fromEntries(METRIC_KEYS.map((k) => [k, n])), { requiredKeys: [] })),
        decided: maybe(fc.record({ applied: n, rejected: n }, { requiredKeys: [] })),
        extra: fc.constant(1),
      },
      { requiredKeys: ['time', 'session', 'repairs', 'findings', 'metrics'] },
    )
    .map((o) => JSON.stringify(o));

  it('accepts exactly the lines the schema accepts, with the same values (absent figures as 0)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof({ weight: 9, arbitrary: line }, { weight: 1, arbitrary: fc.string() }), (text) => {
        let expected: unknown;
        try {
          const r = reference.safeParse(JSON.parse(text));
          expected = r.success ? r.data : null;
        } catch {
          expected = null;
        }
        const got = parseSampleLine(text);
        if (got) accepted++;
        expect(got).toEqual(expected);
      }),
      { numRuns: PROPERTY_RUNS * 25 },
    );
    expect(accepted).toBeGreaterThan(0);
  });
});
