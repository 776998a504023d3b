import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { ASK_MS, growthMarker, v8MarkingHooks, type MarkingHooks } from '../../src/console/heap-marking.js';

// The console thread's full collections while the views' rows are made (views/prepare.ts): when one is asked for,
// with a fake heap, and that V8 starts a marking when asked.

/** A fake heap and V8: `asked` is the flag's state, `seen` reports a collection as V8's `gc` entries would. */
function fakeV8(used: number) {
  const heap = { used, asked: false, asks: 0, timers: [] as { then: () => void; live: boolean }[] };
  let seen: (what: 'marking' | 'full') => void = () => {};
  const hooks: MarkingHooks = {
    used: () => heap.used,
    ask: (on) => {
      heap.asked = on;
      if (on) heap.asks++;
    },
    watch: (f) => {
      seen = f;
      return () => (seen = () => {});
    },
    after: (_ms, then) => {
      const t = { then, live: true };
      heap.timers.push(t);
      return () => (t.live = false);
    },
  };
  const lapse = () => heap.timers.splice(0).forEach((t) => t.live && t.then());
  return { heap, hooks, seen: (what: 'marking' | 'full') => seen(what), lapse };
}

/** A marker on a fake heap of `used` bytes; `at(n)`: the heap at n, checked, and how many times it has asked so far. */
function marker(used: number) {
  const v = fakeV8(used);
  const check = growthMarker(v.hooks, 32);
  const at = (n: number) => {
    v.heap.used = n;
    check.check();
    return v.heap.asks;
  };
  return { ...v, at, stop: check.stop };
}

describe('growthMarker', () => {
  it('asks once the heap holds the step more than the last full collection left, and stops asking as the marking begins', () => {
    const m = marker(20);
    expect(m.at(20)).toBe(0); // within 0 + 32: no collection seen yet, all of the heap counts
    expect(m.at(110)).toBe(1);
    expect(m.heap.asked).toBe(true);
    expect(m.at(111)).toBe(1); // not again while asked
    m.seen('marking');
    expect(m.heap.asked).toBe(false);
    expect(m.at(150)).toBe(1); // not while the marking runs
    m.heap.used = 95; // what the collection left
    m.seen('full');
    expect(m.at(120)).toBe(1); // within 95 + 32
    expect(m.at(128)).toBe(2);
    expect(m.heap.asked).toBe(true);
  });

  it('takes its base from any full collection, its own or V8s', () => {
    const m = marker(40);
    m.heap.used = 60;
    m.seen('full');
    expect(m.at(90)).toBe(0); // within 60 + 32
    expect(m.at(93)).toBe(1);
  });

  it('stops asking after a while when no marking begins, and counts from the heap as it is then', () => {
    const m = marker(100);
    expect(m.at(100)).toBe(1);
    m.lapse();
    expect(m.heap.asked).toBe(false);
    expect(m.at(130)).toBe(1); // within 100 + 32
    expect(m.at(133)).toBe(2);
  });

  it('once stopped, asks no more and leaves nothing asked', () => {
    const m = marker(100);
    expect(m.at(100)).toBe(1);
    m.stop();
    expect(m.heap.asked).toBe(false);
    m.lapse();
    m.seen('full');
    expect(m.at(500)).toBe(1);
    expect(m.heap.asked).toBe(false);
  });

  it('a marking that begins leaves the timer nothing to undo', () => {
    const m = marker(100);
    expect(m.at(100)).toBe(1);
    m.seen('marking');
    m.lapse();
    expect(m.at(200)).toBe(1); // the marking still runs: the lapse did not end it
  });
});

describe('v8MarkingHooks', () => {
  afterEach(() => v8MarkingHooks.ask(false));

  it('V8 begins a marking when asked, long before its own limit', async () => {
    // A full collection first: V8's own limit is then at least the heap's size again above what it left.
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
    const began: string[] = [];
    const unwatch = v8MarkingHooks.watch((what) => began.push(what));
    onTestFinished(unwatch);
    const kept: unknown[] = [];
    v8MarkingHooks.ask(true);
    // At most about 4 MB kept, a slice a turn: V8 looks at its limit as it allocates.
    for (let i = 0; i < 100 && began.length === 0; i++) {
      kept.push(Array.from({ length: 1000 }, (_, j) => ({ i, j })));
      await new Promise((res) => setImmediate(res));
    }
    expect(began.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(100);
  });

  it('the timer of a lapse can be cancelled', () => {
    vi.useFakeTimers();
    try {
      let ran = 0;
      const cancel = v8MarkingHooks.after(ASK_MS, () => ran++);
      cancel();
      vi.advanceTimersByTime(ASK_MS * 2);
      expect(ran).toBe(0);
      v8MarkingHooks.after(ASK_MS, () => ran++);
      vi.advanceTimersByTime(ASK_MS);
      expect(ran).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
