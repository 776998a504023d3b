import { describe, expect, it } from 'vitest';
import { reducerOffByFlag } from '../../src/console/worker/channel.js';

// The plan worker is started with V8's memory reducer off and the flag put back after (channel.ts): a process
// started with the reducer off must keep it off, or putting it back would turn on what the user turned off.
describe('reducerOffByFlag', () => {
  it('is false with no mention of the reducer', () => {
    expect(reducerOffByFlag([])).toBe(false);
    expect(reducerOffByFlag(['--max-semi-space-size=8', '--enable-source-maps', ''])).toBe(false);
  });

  it('reads each spelling V8 accepts of turning it off', () => {
    for (const a of ['--no-memory-reducer', '--nomemory-reducer', '--no_memory_reducer', '--no-memory_reducer'])
      expect(reducerOffByFlag([a])).toBe(true);
  });

  it('lets the last mention win', () => {
    expect(reducerOffByFlag(['--no-memory-reducer', '--memory-reducer'])).toBe(false);
    expect(reducerOffByFlag(['--memory_reducer', '--no-memory-reducer'])).toBe(true);
  });

  it('does not take a longer flag of the same start for it', () => {
    expect(reducerOffByFlag(['--no-memory-reducer-for-small-heaps'])).toBe(false);
  });
});
