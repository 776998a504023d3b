import { beforeEach, describe, expect, it } from 'vitest';
import { v8FlagForAMoment, v8FlagSetting } from '../../src/console/node-args.js';

// The flags v8FlagForAMoment sets, recorded instead of set (no vi.mock: this file shares its module graph).
const set: string[] = [];
const record = (flags: string) => void set.push(flags);

/** Whether channel.ts's withoutMemoryReducer (v8FlagForAMoment) leaves the reducer as these arguments set it. */
function reducerOffByFlag(args: readonly string[]): boolean {
  set.length = 0;
  v8FlagForAMoment('memory-reducer', false, args, record)();
  return set.length === 0;
}

beforeEach(() => {
  set.length = 0;
});

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

describe('v8FlagForAMoment', () => {
  it('sets the flag, and sets it back once however often it is asked to', () => {
    const restore = v8FlagForAMoment('memory-reducer', false, [], record);
    expect(set).toEqual(['--no-memory-reducer']);
    restore();
    restore();
    expect(set).toEqual(['--no-memory-reducer', '--memory-reducer']);
    v8FlagForAMoment('optimize-for-size', true, ['--no-optimize-for-size'], record)();
    expect(set).toEqual(['--no-memory-reducer', '--memory-reducer', '--optimize-for-size', '--no-optimize-for-size']);
  });

  it("leaves the process's own setting, in any spelling, as it is", () => {
    v8FlagForAMoment('optimize-for-size', true, ['--optimize_for_size'], record)();
    v8FlagForAMoment('memory-reducer', false, ['--nomemory-reducer'], record)();
    expect(set).toEqual([]);
  });

  it("reads the process's own node arguments when given none", () => {
    const saved = process.env.NODE_OPTIONS;
    try {
      process.env.NODE_OPTIONS = '--no-memory-reducer';
      v8FlagForAMoment('memory-reducer', false, undefined, record)();
      expect(set).toEqual([]);
      delete process.env.NODE_OPTIONS;
      v8FlagForAMoment('memory-reducer', false, undefined, record)();
      expect(set.length).toBe(v8FlagSetting(process.execArgv, 'memory-reducer') === false ? 0 : 2);
    } finally {
      if (saved === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = saved;
    }
  });
});
