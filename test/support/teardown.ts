// Ending what a test started before the next test starts: the console it rendered on ink-testing-library
// (unmounted), then what feeds it, a live reader or a store file on disk with its reader (stopped, closed).
// The temp dirs a test made are not this module's: files.ts removes them after the test file.
import { afterEach } from 'vitest';

/**
 * What a test starts and must end: a rendered console (test/ui/render.tsx's Harness), a live reader (Live), or a
 * store file with the live reader on it (test/ui/review-harness.ts's OnDisk).
 */
export type Started = { unmount(): void } | { stop(): Promise<void> } | { close(): Promise<void> };

/**
 * After each test of the calling file, end what `started()` names, in its order (the console first, then what
 * feeds it): unmount, stop or close each one once, however long the file's variables still name it. At the top
 * of a test file, after the variables the tests assign:
 *
 *     let h: Harness | null = null;
 *     let disk: OnDisk | null = null;
 *     endAfterEach(() => [h, disk]);
 */
export function endAfterEach(started: () => readonly (Started | null)[]): void {
  const ended = new WeakSet<Started>();
  afterEach(async () => {
    for (const s of started()) {
      if (!s || ended.has(s)) continue;
      if ('unmount' in s) s.unmount();
      else if ('stop' in s) await s.stop();
      else await s.close();
      ended.add(s);
    }
  });
}
