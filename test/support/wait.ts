// Waiting in tests: always on a condition, never a fixed sleep. A timeout here is only a safety net that turns
// a stuck test into a message; it must never be what decides a test on a slow or busy machine, so every one
// is generous and scales with GC_TUI_TEST_TIME_SCALE (e.g. 3 on a very slow machine; vitest.config.ts scales
// the per-test timeouts the same way).
import { setTimeout as sleep } from 'node:timers/promises';

const scaleEnv = Number(process.env.GC_TUI_TEST_TIME_SCALE);
/** The factor every safety-net timeout is multiplied by (GC_TUI_TEST_TIME_SCALE, default 1). */
export const TIME_SCALE = Number.isFinite(scaleEnv) && scaleEnv > 0 ? scaleEnv : 1;

/** `ms` scaled by TIME_SCALE. */
export function patience(ms: number): number {
  return Math.round(ms * TIME_SCALE);
}

/** How long a wait for something that should come at once (a frame after a key) may take before it fails. */
export const DEFAULT_WAIT_MS = 20_000;

export interface WaitOptions {
  /** The safety net, before scaling (default DEFAULT_WAIT_MS). */
  timeoutMs?: number;
  /** How often to read again (default 5 ms). */
  pollMs?: number;
  /** How the last value read is shown when the wait times out. */
  show?: (value: string) => string;
}

/**
 * Read `read()` until `predicate` holds and return that value. Throws, naming `what` and showing the last value,
 * only when the (scaled) safety net runs out.
 */
export async function waitFor(
  read: () => string,
  predicate: (value: string) => boolean,
  what = 'frame',
  opts: WaitOptions = {},
): Promise<string> {
  const timeoutMs = patience(opts.timeoutMs ?? DEFAULT_WAIT_MS);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = read();
    if (predicate(v)) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last ${opts.show ? opts.show(v) : `value:\n${v}`}`);
    await sleep(opts.pollMs ?? 5);
  }
}

/** Poll `check` until it is true (for conditions that are not a text to show). */
export async function until(check: () => boolean, what: string, opts: { timeoutMs?: number; pollMs?: number } = {}): Promise<void> {
  await waitFor(
    () => (check() ? 'yes' : 'no'),
    (v) => v === 'yes',
    what,
    { ...opts, show: () => 'check: false' },
  );
}

/** `p`, or a rejection naming `what` if it has not settled within the (scaled) `ms`: for a promise that must settle. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  const limit = patience(ms);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>(
    (_res, rej) => (timer = setTimeout(() => rej(new Error(`timed out after ${limit} ms waiting for ${what}`)), limit)),
  );
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
