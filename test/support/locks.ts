// Another writer on the same flock(2) lock: util-linux `flock`, the same lock Gas City's Go writer takes. It holds
// the lock until the test lets it go (never for a fixed time), so a slow or busy machine cannot make the lock
// free too early or too late. A peer a test leaves held (an assertion failed before its release) is ended after
// that test (test/support/setup.ts calls endPeers), and one whose test process is gone ends by itself.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { tempDir, write } from './files.js';
import { until } from './wait.js';

export interface Peer {
  /** Let go: run the peer's `beforeRelease` (still holding the lock), then unlock. Resolves with flock's exit code. */
  release(): Promise<number | null>;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The peers still held: their process groups' ids. */
const held = new Set<number>();

/**
 * Take `lockFile` with /usr/bin/flock in another process and hold it until release(). With `replace`, the peer
 * replaces `replace.target` with `replace.text` the way Gas City does (tmp + rename) before it unlocks.
 * Resolves once the lock is held.
 */
export async function holdLock(lockFile: string, replace?: { target: string; text: string }): Promise<Peer> {
  const dir = tempDir('gc-tui-peer-');
  const started = join(dir, 'started');
  const go = join(dir, 'go');
  // Waits for `go`, or ends if this process is gone (a killed test worker never writes it).
  let script = `touch ${quote(started)}; while [ ! -e ${quote(go)} ]; do kill -0 ${process.pid} 2>/dev/null || exit 1; sleep 0.01; done`;
  if (replace) {
    const next = write(join(dir, 'next.json'), replace.text);
    const tmp = `${replace.target}.peer.tmp`;
    script += `; cp ${quote(next)} ${quote(tmp)} && mv ${quote(tmp)} ${quote(replace.target)}`;
  }
  // A process group of its own, so endPeers ends flock and its shell together.
  const child = spawn('flock', [lockFile, '-c', script], { stdio: 'ignore', detached: true });
  const group = child.pid!;
  held.add(group);
  let exited = false;
  const done = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      exited = true;
      held.delete(group);
      resolve(code);
    }),
  );
  await until(() => exited || existsSync(started), `flock to take ${lockFile}`);
  if (!existsSync(started)) throw new Error(`flock could not take ${lockFile} (exit ${await done})`);
  return {
    release: () => {
      writeFileSync(go, '');
      return done;
    },
  };
}

/** Kill every peer still held, flock and its shell (the setup file calls this after each test). */
export function endPeers(): void {
  for (const group of held) {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  held.clear();
}

/** Whether process `pid` has `file` open (Linux /proc): e.g. a CLI that has opened the lock file it waits for. */
export function hasOpen(pid: number, file: string): boolean {
  const target = join(realpathSync(dirname(file)), basename(file));
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === target;
      } catch {
        return false; // closed meanwhile
      }
    });
  } catch {
    return false; // the process is gone
  }
}
