// The end-to-end tests run the built CLI, as a user would. Two builds, in parallel:
// - `npm run build` refreshes dist/ (what users and the other e2e suites run);
// - a private build in a temp dir is what our tests spawn, so another engineer's or CI step's rebuild of
//   dist/ halfway through our run cannot pull files from under a running test. It mirrors the package
//   layout (dist/, package.json, fixtures/, node_modules/) so the CLI finds everything as in the repo.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
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

export default async function setup(project: TestProject): Promise<() => void> {
  const sandbox = mkdtempSync(join(tmpdir(), 'gc-tui-e2e-build-'));
  chmodSync(sandbox, 0o755); // the permission test runs the CLI as another user
  for (const name of ['package.json', 'fixtures', 'node_modules']) symlinkSync(join(root, name), join(sandbox, name));
  mkdirSync(join(sandbox, 'dist'));
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  await Promise.all([
    exec('npm', ['run', 'build']),
    exec(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', join(sandbox, 'dist')]),
  ]);
  project.provide('gcTuiCli', join(sandbox, 'dist', 'cli.js'));
  return () => rmSync(sandbox, { recursive: true, force: true });
}
