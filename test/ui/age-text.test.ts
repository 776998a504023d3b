// The header's age moves in steps an operator can read and the frame redraws only when it changes (the clock
// re-renders only on a new text): "just now" for 10 s, then 10 s steps to a minute, then minutes and hours.
import { describe, expect, test } from 'vitest';
import { ageText } from '../../src/ui/components/Header.js';

const at = 1_000_000_000;

describe('the header age', () => {
  test.each([
    [0, 'read just now'],
    [9_999, 'read just now'],
    [10_000, 'read 10 s ago'],
    [29_999, 'read 20 s ago'],
    [59_999, 'read 50 s ago'],
    [60_000, 'read 1 min ago'],
    [3 * 3_600_000, 'read 3 h ago'],
  ])('%i ms after the read: %s', (ms, text) => {
    expect(ageText(at + ms, at, false)).toBe(text);
  });

  test('after a failed read it names the last good one', () => {
    expect(ageText(at + 5_000, at, true)).toBe('last good read just now');
    expect(ageText(at + 42_000, at, true)).toBe('last good read 40 s ago');
    expect(ageText(at, null, true)).toBe('loading…');
  });
});
