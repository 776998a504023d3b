// bin/gc-tui, the command npm links: it finds dist/cli.js beside itself through npm's symlink and starts it with the
// node on PATH, holding glibc's mmap threshold unless the user set it, and the main thread's young generation (a node
// flag). A stand-in `node` on PATH prints what it got.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, write } from '../support/files.js';

const LAUNCHER = resolve('bin/gc-tui');

/** Runs the launcher through `link` with a `node` on PATH that prints its environment setting and its arguments. */
function launch(link: string, args: string[], env: Record<string, string | undefined> = {}): string[] {
  const bin = tempDir();
  const fakeNode = write(join(bin, 'node'), '#!/bin/sh\nprintf "%s\\n" "threshold=${MALLOC_MMAP_THRESHOLD_-unset}" "$@"\n');
  chmodSync(fakeNode, 0o755);
  const base: Record<string, string | undefined> = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` };
  delete base.MALLOC_MMAP_THRESHOLD_;
  const r = spawnSync(link, args, { env: { ...base, ...env }, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout.trimEnd().split('\n');
}

/** A package's node_modules/.bin as npm makes it: a relative symlink to the package's bin/gc-tui. */
function npmLink(): string {
  const d = tempDir();
  const pkg = join(d, 'node_modules', 'gc-tui');
  mkdirSync(join(d, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(resolve('.'), pkg);
  const link = join(d, 'node_modules', '.bin', 'gc-tui');
  symlinkSync('../gc-tui/bin/gc-tui', link);
  return link;
}

describe('bin/gc-tui', () => {
  it('runs dist/cli.js beside it through npm’s relative symlink, with every argument as given', () => {
    const [threshold, flag, cli, ...args] = launch(npmLink(), ['check', '', '--store', 'a file with spaces.json']);
    expect(threshold).toBe('threshold=131072');
    expect(flag).toBe('--max-semi-space-size=4');
    // dist/ need not be built: the package folder it names is this one.
    expect(basename(cli!)).toBe('cli.js');
    expect(basename(dirname(cli!))).toBe('dist');
    expect(realpathSync(dirname(dirname(cli!)))).toBe(realpathSync('.'));
    expect(args).toEqual(['check', '', '--store', 'a file with spaces.json']);
  });

  it('keeps a threshold the user set; an empty one (glibc would read 0) is ours', () => {
    expect(launch(LAUNCHER, ['--version'], { MALLOC_MMAP_THRESHOLD_: '65536' })[0]).toBe('threshold=65536');
    expect(launch(LAUNCHER, ['--version'], { MALLOC_MMAP_THRESHOLD_: '' })[0]).toBe('threshold=131072');
  });

  it('is what package.json installs as the gc-tui command', async () => {
    const pkg = (await import('../../package.json', { with: { type: 'json' } })).default as {
      bin: Record<string, string>;
      files: string[];
    };
    expect(pkg.bin['gc-tui']).toBe('bin/gc-tui');
    expect(pkg.files).toContain('bin');
  });
});
