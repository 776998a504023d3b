// `export --format md` carries the metrics history the console keeps beside the input, and refuses to write
// over it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NOW_ISO } from '../support/builders.js';
import { tempDir, write } from '../support/files.js';
import { copyInto, DEMO, run } from './cli-helpers.js';

const line = (time: string, session: string, repairs: number) =>
  JSON.stringify({ time, session, repairs, findings: 2, metrics: { stale_creates: repairs }, decided: { applied: 0, rejected: 0 } });

describe('export --format md: the Trend section', () => {
  it('is drawn from <store>.metrics.jsonl, bad lines skipped', () => {
    const store = copyInto(tempDir(), DEMO, 'city.json');
    const history = write(
      `${store}.metrics.jsonl`,
      [line('2026-05-06T01:00:00Z', 'a', 15), 'garbage', line('2026-05-06T02:00:00Z', 'b', 43), line('2026-05-06T02:10:00Z', 'b', 0)].join(
        '\n',
      ) + '\n',
    );
    const r = run(['export', '--store', store, '--format', 'md', '--now', NOW_ISO]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('3 samples from 2026-05-06T01:00:00Z to 2026-05-06T02:10:00Z, 2 console runs; 1 unreadable lines skipped.');
    expect(r.stdout).toMatch(/^\| repairs \| `▃█▁` \| 15 \| 0 \| 0 \| 43 \|$/m);
    expect(r.stdout).toMatch(/^\| stale_creates \| `▃█▁` \| 15 \| 0 \| 0 \| 43 \|$/m);
    // It is one of the input's own files: never an export target.
    const over = run(['export', '--store', store, '--format', 'md', '--out', history]);
    expect(over.code).toBe(2);
    expect(readFileSync(history, 'utf8')).toContain('garbage');
  });

  it('says there is no history yet when the console never ran on the input', () => {
    const store = copyInto(tempDir(), DEMO, 'city.json');
    const r = run(['export', '--store', store, '--format', 'md', '--now', NOW_ISO]);
    expect(r.stdout).toContain('## Trend\n\nNo metrics history yet');
  });
});
