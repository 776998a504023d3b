import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCK_TIMEOUT_MS, lockTimeoutMs, MAX_LOCK_TIMEOUT_MS } from '../../src/store/fs/lock.js';
import { InputError } from '../../src/store/types.js';

describe('GC_TUI_LOCK_TIMEOUT_MS', () => {
  it('unset or empty: 10 s; whole milliseconds up to an hour: as given', () => {
    expect(lockTimeoutMs({})).toBe(DEFAULT_LOCK_TIMEOUT_MS);
    expect(lockTimeoutMs({ GC_TUI_LOCK_TIMEOUT_MS: '' })).toBe(DEFAULT_LOCK_TIMEOUT_MS);
    expect(lockTimeoutMs({ GC_TUI_LOCK_TIMEOUT_MS: '0' })).toBe(0);
    expect(lockTimeoutMs({ GC_TUI_LOCK_TIMEOUT_MS: ' 300 ' })).toBe(300);
    expect(lockTimeoutMs({ GC_TUI_LOCK_TIMEOUT_MS: String(MAX_LOCK_TIMEOUT_MS) })).toBe(MAX_LOCK_TIMEOUT_MS);
  });

  it.each(['-5', 'abc', '1e12', '1.5', String(MAX_LOCK_TIMEOUT_MS + 1), '99999999999999999999', 'Infinity'])(
    'refuses %j by name instead of waiting 10 s or forever',
    (value) => {
      let error: unknown;
      try {
        lockTimeoutMs({ GC_TUI_LOCK_TIMEOUT_MS: value });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toBe(
        `GC_TUI_LOCK_TIMEOUT_MS: ${JSON.stringify(value)} is not a lock timeout: give whole milliseconds from 0 to 3600000 (unset = 10000)`,
      );
    },
  );
});
