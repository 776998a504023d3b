// A report redirected to a file (`> report.json`) is written straight to it (common.ts `out`), not through Node's
// stdout stream: the file holds exactly what a pipe receives, non-ASCII text and a result of many parts included.
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOW_ISO, sessionRecord } from '../support/builders.js';
import { tempDir, write } from '../support/files.js';
import { run } from './cli-helpers.js';

/** A store of `n` session beads of one pool, titles in several scripts, every other one holding a slot twice. */
function store(n: number, titles = ['café', 'naïve 😀', 'плановый', 'plain']): string {
  const beads = Array.from({ length: n }, (_, i) => {
    const b = sessionRecord(`mc-${i}`, {
      template: 'worker',
      agent_name: `worker-${i}`,
      alias: `worker-${i}`,
      pool_slot: String((i >> 1) + 1),
      state: 'active',
    });
    b.title = titles[i % titles.length];
    return b;
  });
  const doc = { schema: 'gc-tui/1', city: { agents: [{ name: 'worker', max_active_sessions: n }] }, beads };
  return write(join(tempDir(), 's.json'), JSON.stringify(doc) + '\n');
}

describe('a report redirected to a file', () => {
  // Several parts of output (64 K characters each) and under spawnSync's 1 MB for the pipe: in many scripts, and
  // ASCII but for two titles (a part of ASCII text is written without encoding; the parts with ü and DEL are not).
  const mixed = store(800);
  const ascii = store(800, ['plain', ...Array.from({ length: 398 }, (_, i) => `t${i}`), 'ünï', 'del\u007f']);
  it.each([
    ['check --json', ['check', '--json'], mixed],
    ['check', ['check'], mixed],
    ['export --format json', ['export', '--format', 'json'], mixed],
    ['export --format csv', ['export', '--format', 'csv'], mixed],
    ['export --format md', ['export', '--format', 'md'], mixed],
    ['check --json (ASCII)', ['check', '--json'], ascii],
    ['export --format json (ASCII)', ['export', '--format', 'json'], ascii],
  ])('%s > FILE holds what a pipe gets', (_name, args, file) => {
    const argv = [...args, '--store', file, '--now', NOW_ISO];
    const piped = run(argv);
    const out = join(tempDir(), 'out');
    const fd = openSync(out, 'w');
    let toFile;
    try {
      toFile = run(argv, { stdout: fd });
    } finally {
      closeSync(fd);
    }
    expect(piped.stdout.length).toBeGreaterThan(0);
    expect(toFile.code).toBe(piped.code);
    expect(toFile.stderr).toBe(piped.stderr);
    expect(readFileSync(out, 'utf8')).toBe(piped.stdout);
  });
});
