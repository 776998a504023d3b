import { afterEach, describe, expect, it } from 'vitest';
import { nodeOptionsArgs, nodeStartArgs, v8FlagSetting } from '../../src/console/node-args.js';

describe('nodeOptionsArgs: NODE_OPTIONS split as Node splits it', () => {
  it('at spaces, runs of them giving no empty argument', () => {
    expect(nodeOptionsArgs('')).toEqual([]);
    expect(nodeOptionsArgs('  --a   --b=1 ')).toEqual(['--a', '--b=1']);
  });

  it('not inside double quotes, which are dropped; a backslash in them takes the next character', () => {
    expect(nodeOptionsArgs('--require "a b.js" --x')).toEqual(['--require', 'a b.js', '--x']);
    expect(nodeOptionsArgs('--title="say \\"hi\\""')).toEqual(['--title=say "hi"']);
    // Node starts an argument at its first character: quotes around nothing give none.
    expect(nodeOptionsArgs('--a ""')).toEqual(['--a']);
  });
});

describe('nodeStartArgs', () => {
  const saved = process.env.NODE_OPTIONS;
  afterEach(() => {
    if (saved === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = saved;
  });

  it("NODE_OPTIONS's arguments first, then the command line's", () => {
    process.env.NODE_OPTIONS = '--unhandled-rejections none  --no-memory-reducer';
    expect(nodeStartArgs()).toEqual(['--unhandled-rejections', 'none', '--no-memory-reducer', ...process.execArgv]);
  });
});

// The plan worker's compaction steps set `--optimize-for-size` and put it back off (plan-worker-body.ts): a process
// started with it on must keep it on.
describe('v8FlagSetting', () => {
  it('is undefined when no argument mentions the flag', () => {
    expect(v8FlagSetting([], 'optimize-for-size')).toBeUndefined();
    expect(v8FlagSetting(['--max-semi-space-size=8', '--optimize-for-size-x'], 'optimize-for-size')).toBeUndefined();
  });

  it('reads each spelling V8 accepts, the last mention winning', () => {
    expect(v8FlagSetting(['--optimize_for_size'], 'optimize-for-size')).toBe(true);
    for (const a of ['--no-optimize-for-size', '--nooptimize-for-size', '--no_optimize_for_size'])
      expect(v8FlagSetting(['--optimize-for-size', a], 'optimize-for-size')).toBe(false);
    expect(v8FlagSetting(['--no-optimize-for-size', '--optimize-for-size'], 'optimize-for-size')).toBe(true);
  });
});
