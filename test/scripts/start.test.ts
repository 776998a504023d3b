// `npm start` builds only when dist/ is missing or older than src/ (or the tsconfig files).
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
// @ts-expect-error -- a plain .mjs script without types
import { buildReason, needsBuild } from '../../scripts/start.mjs';
import { tempDir } from '../support/files.js';

/** A file with a fixed modification time (seconds since epoch): no test here waits on the clock. */
function file(path: string, at: number): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '');
  utimesSync(path, at, at);
}

describe('npm start', () => {
  test('builds when dist/ is missing, or older than a source, the tsconfig or the build script; not when it is newer', () => {
    const root = tempDir('gc-tui-start-');
    file(join(root, 'src', 'ui', 'App.tsx'), 1000);
    file(join(root, 'tsconfig.json'), 1000);
    expect(needsBuild(root)).toBe(true);
    file(join(root, 'dist', 'cli.js'), 2000);
    file(join(root, 'dist', 'ui', 'App.js'), 2001);
    expect(needsBuild(root)).toBe(false);
    file(join(root, 'src', 'ui', 'App.tsx'), 3000);
    expect(needsBuild(root)).toBe(true);
    file(join(root, 'src', 'ui', 'App.tsx'), 1000);
    file(join(root, 'scripts', 'build.mjs'), 3000);
    expect(needsBuild(root)).toBe(true);
    rmSync(join(root, 'scripts', 'build.mjs'));
    // The oldest file the build wrote decides: one file of an older build left in dist/ means rebuild.
    file(join(root, 'dist', 'engine', 'old.js'), 500);
    expect(needsBuild(root)).toBe(true);
  });

  test('says why it builds: a fresh clone is told dist/ is not built yet, not that src/ is newer than it', () => {
    const root = tempDir('gc-tui-start-');
    file(join(root, 'src', 'cli.tsx'), 1000);
    file(join(root, 'tsconfig.json'), 1000);
    expect(buildReason(root)).toBe('dist/ is not built yet');
    file(join(root, 'dist', 'cli.js'), 2000);
    expect(buildReason(root)).toBeNull();
    file(join(root, 'src', 'cli.tsx'), 3000);
    expect(buildReason(root)).toBe('src/ is newer than dist/');
    file(join(root, 'src', 'cli.tsx'), 1000);
    file(join(root, 'tsconfig.json'), 3000);
    expect(buildReason(root)).toBe('tsconfig.json is newer than dist/');
  });

  test('a console ended by a signal: npm start exits 128 + its number, as a shell says it', () => {
    const root = tempDir('gc-tui-start-');
    file(join(root, 'src', 'cli.tsx'), 1000);
    file(join(root, 'tsconfig.json'), 1000);
    file(join(root, 'dist', 'cli.js'), 2000);
    mkdirSync(join(root, 'scripts'), { recursive: true });
    copyFileSync(join(import.meta.dirname, '..', '..', 'scripts', 'start.mjs'), join(root, 'scripts', 'start.mjs'));
    // The launcher start.mjs runs, ended by SIGTERM as a console killed from outside is.
    mkdirSync(join(root, 'bin'));
    writeFileSync(join(root, 'bin', 'gc-tui'), '#!/bin/sh\nkill -TERM $$\n');
    chmodSync(join(root, 'bin', 'gc-tui'), 0o755);
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'start.mjs')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(143);
  });
});
