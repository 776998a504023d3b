// A signal that ends a headless command during a write made a part at a time (an export of 72 MB takes half a
// second) ends it once the file is whole and in place: no temp file is left behind, and the process still ends by
// that signal.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/files.js';

const CHILD = join(import.meta.dirname, '..', 'support', 'atomic-signal-child.ts');

describe('a signal during a streamed atomic write', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('%s: the file is written whole, no temp is left, the process ends by it', (signal) => {
    const dir = tempDir();
    const target = join(dir, 'out.json');
    const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, target, signal], { encoding: 'utf8', timeout: 60_000 });
    expect(r.error).toBeUndefined();
    expect(r.signal).toBe(signal);
    expect(readdirSync(dir)).toEqual(['out.json']);
    expect(readFileSync(target, 'utf8')).toBe('{"half":"whole"}\n');
  });
});
