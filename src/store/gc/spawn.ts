// Running `gc`: one process per call, an argv array and no shell (metadata can hold quotes, newlines and
// escape sequences; nothing is ever parsed by a shell), bounded in time and output. Reads (beads-capture.ts) and
// writes (writer.ts) both go through here.
import { spawn } from 'node:child_process';

export interface GcRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Why it was stopped: too slow, too much output; or why it could not start. */
  stopped: 'timeout' | 'output' | null;
  error: Error | null;
}

/**
 * Run `gc <args>` in its own process group, so that a timeout or too much output stops gc and whatever it
 * started (bd, dolt clients) that still holds the pipes; stderr is kept to its first 64 KiB.
 */
export function spawnGc(gc: string, args: readonly string[], dir: string, timeout: number, maxBytes: number): Promise<GcRun> {
  return new Promise((done) => {
    const child = spawn(gc, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let stopped: GcRun['stopped'] = null;
    const stop = (why: NonNullable<GcRun['stopped']>) => {
      if (stopped) return;
      stopped = why;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => stop('timeout'), timeout);
    child.stdout.on('data', (d: Buffer) => {
      outBytes += d.length;
      if (outBytes > maxBytes) stop('output');
      else out.push(d);
    });
    child.stderr.on('data', (d: Buffer) => {
      if (err.length < 65_536) err += d.toString('utf8');
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      done({ code: null, signal: null, stdout: '', stderr: err, stopped: null, error: e });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: err, stopped, error: null });
    });
  });
}
