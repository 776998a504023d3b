// The tests that run the built CLI (end to end, as a user would) run one build, private to this test run,
// in a temp dir: another engineer's or CI step's rebuild of dist/ halfway through our run cannot pull files
// from under a running test (test/support/built.ts hands its path to the tests). It is laid out as the
// installed package (dist/, package.json, fixtures/, and node_modules/ with the production dependencies of
// package-lock.json), copied rather than linked, so any user can run it wherever the checkout lives (a clone
// in a 0700 directory included). dist/ itself is left alone: `npm run build` makes it; this is the same build
// (scripts/build.mjs) into the sandbox. `npm run typecheck` is the type check.
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Absolute path of the built cli.js the e2e tests spawn. */
    gcTuiCli: string;
  }
}

const root = fileURLToPath(new URL('../..', import.meta.url));

function exec(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} failed (exit ${code}):\n${output}`))));
  });
}

/** The production packages package-lock.json installs (`node_modules/...` paths, nested ones included). */
function productionPackages(): string[] {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; devOptional?: boolean; optional?: boolean }>;
  };
  return Object.entries(lock.packages)
    .filter(([path, p]) => path.startsWith('node_modules/') && !p.dev && !p.devOptional && !p.optional)
    .map(([path]) => path);
}

export default async function setup(project: TestProject): Promise<() => void> {
  const sandbox = mkdtempSync(join(tmpdir(), 'gc-tui-e2e-build-'));
  chmodSync(sandbox, 0o755); // tests may run the CLI as another user
  for (const name of ['package.json', 'fixtures']) cpSync(join(root, name), join(sandbox, name), { recursive: true });
  // Top-level packages first; a nested one (node_modules/a/node_modules/b) is inside its parent's copy.
  for (const path of productionPackages().filter((p) => !p.slice('node_modules/'.length).includes('node_modules/'))) {
    cpSync(join(root, path), join(sandbox, path), { recursive: true, verbatimSymlinks: true });
  }
  await exec(process.execPath, [join(root, 'scripts', 'build.mjs'), '--outdir', join(sandbox, 'dist')]);
  project.provide('gcTuiCli', join(sandbox, 'dist', 'cli.js'));
  return () => rmSync(sandbox, { recursive: true, force: true });
}
