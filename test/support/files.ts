// Throwaway directories and small file helpers. Every directory tempDir() makes is removed after the test file
// that made it (test/support/setup.ts registers the hook for every file), so tests never clean up by hand.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const made: string[] = [];

/** A fresh directory under the system temp dir (mode 0700), removed after this test file. */
export function tempDir(prefix = 'gc-tui-test-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}

/** Remove every directory tempDir() made so far (the setup file calls this after each test file). */
export function removeTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** The files this process has open in `dir`, as the kernel names them (Linux: /proc/self/fd; ' (deleted)' once unlinked). */
export function openFilesIn(dir: string): string[] {
  const open: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const to = readlinkSync(`/proc/self/fd/${fd}`);
      if (to.startsWith(`${dir}/`)) open.push(to);
    } catch {
      // closed meanwhile
    }
  }
  return open;
}

/** Write `text` to `file`, creating its directory. Returns `file`. */
export function write(file: string, text: string | Uint8Array): string {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

/** Write `value` as indented JSON with a final newline. Returns `file`. */
export function writeJson(file: string, value: unknown): string {
  return write(file, JSON.stringify(value, null, 2) + '\n');
}

export function readJson<T = unknown>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}
