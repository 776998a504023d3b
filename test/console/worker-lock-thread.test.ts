// fs-ext keeps V8 handles in C++ statics, so it may live in one thread only. The main thread takes every
// lock; plan workers never load it. Starting, ending and restarting workers around real locks must not
// abort the process (it did when the worker loaded fs-ext itself).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { CLI } from '../support/built.js';
import { tempDir } from '../support/files.js';
import { patience } from '../support/wait.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LOCK_SOURCE = join(ROOT, 'src', 'store', 'fs', 'lock.ts');

describe('locks stay on the main thread', () => {
  test('workers come and go around locks held by the main thread, and the process lives', () => {
    const dist = dirname(CLI);
    const dir = tempDir('gc-tui-lock-thread-');
    const script = `
      const { withFileLock } = await import(${JSON.stringify(LOCK_SOURCE)});
      const { Worker } = await import('node:worker_threads');
      const lock = ${JSON.stringify(join(dir, 'x.lock'))};
      const cycle = async () => {
        const w = new Worker(${JSON.stringify(join(dist, 'plan-worker.js'))}, { execArgv: [] });
        await new Promise((r) => w.once('online', r));
        await withFileLock(lock, async () => new Promise((r) => setTimeout(r, 20)));
        await w.terminate();
      };
      await withFileLock(lock, async () => {});
      for (let i = 0; i < 3; i++) await cycle();
      await withFileLock(lock, async () => {});
      console.log('alive');`;
    // The lock module from the sources (through tsx): the build bundles it where a script cannot import it.
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: patience(60_000),
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('alive');
  });
});
