#!/usr/bin/env node
/* global process */
// `npm start`: the demo console. It builds first only when dist/ is missing or older than what it is built
// from (src/, tsconfig.json and scripts/build.mjs), so a second start takes a second, not a full compile.
//   npm start [-- more gc-tui options]
import { constants } from 'node:os';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** What the build reads, relative to the package root. */
const INPUTS = ['src', 'tsconfig.json', 'scripts/build.mjs'];

/** The newest (`pick` = Math.max) or oldest (Math.min) modification time of the files under `path`. */
function mtime(path, pick) {
  if (!existsSync(path)) return null;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let out = null;
  for (const name of readdirSync(path)) {
    const t = mtime(join(path, name), pick);
    if (t !== null) out = out === null ? t : pick(out, t);
  }
  return out;
}

/**
 * Why dist/ under `root` must be built first, or null when it need not: it has no CLI, or a file the build reads is
 * newer than the oldest file it wrote. Said on the terminal, so a fresh clone is not told its src/ is newer than a
 * dist/ it does not have.
 */
export function buildReason(root) {
  if (!existsSync(join(root, 'dist', 'cli.js'))) return 'dist/ is not built yet';
  const built = mtime(join(root, 'dist'), Math.min);
  const newer = INPUTS.find((p) => (mtime(join(root, p), Math.max) ?? -Infinity) > built);
  return newer === undefined ? null : `${newer === 'src' ? 'src/' : newer} is newer than dist/`;
}

/** True when dist/ under `root` must be built first (buildReason). */
export function needsBuild(root) {
  return buildReason(root) !== null;
}

function main() {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const why = buildReason(root);
  if (why !== null) {
    process.stderr.write(`gc-tui: ${why}: building…\n`);
    const b = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
    if (b.status !== 0) process.exit(b.status ?? 2);
  }
  // Through the command's own launcher (bin/gc-tui), so the demo runs as `gc-tui` does.
  const r = spawnSync(join(root, 'bin', 'gc-tui'), ['--demo', ...process.argv.slice(2)], { stdio: 'inherit' });
  // A console ended by a signal exits as a shell reports it, 128 + its number (143 for SIGTERM).
  process.exit(r.status ?? (r.signal ? 128 + (constants.signals[r.signal] ?? 0) : 2));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
