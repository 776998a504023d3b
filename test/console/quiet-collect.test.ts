import { describe, expect, it } from 'vitest';
import { collectionGrowth, quietCollector, type QuietCollectOptions } from '../../src/console/quiet-collect.js';

const MB = 1 << 20;

/** A collector on a fake heap, clock and timer: `at(ms)` moves the clock, firing what falls due. */
function fake(opts: Partial<QuietCollectOptions> = {}) {
  let now = 0;
  let held = 100 * MB;
  let busy = false;
  const collections: number[] = [];
  let timer: { at: number; fn: () => void } | null = null;
  const c = quietCollector({
    held: () => held,
    collect: () => {
      collections.push(now);
      held = 90 * MB; // what the collection freed
    },
    busy: () => busy,
    now: () => now,
    after: (ms, fn) => {
      const t = { at: now + ms, fn };
      timer = t;
      return () => {
        if (timer === t) timer = null;
      };
    },
    quietMs: 500,
    ...opts,
  });
  const at = (ms: number) => {
    while (timer && timer.at <= ms) {
      const t = timer;
      timer = null;
      now = t.at;
      t.fn();
    }
    now = ms;
  };
  return {
    c,
    collections,
    at,
    now: () => now,
    grow: (to: number) => (held = to * MB),
    setBusy: (b: boolean) => (busy = b),
  };
}

describe('quietCollector', () => {
  it("notes the first views' heap and never collects then, however big", () => {
    const f = fake();
    f.grow(400);
    f.c.made(true);
    f.at(10_000);
    expect(f.collections).toEqual([]);
    expect(f.c.due()).toBe(false);
  });

  it("tells the plan worker at the quiet moment after each big refresh's views, after this thread's own collection; never for the first read or a small one", () => {
    const told: number[] = [];
    let clock = () => 0;
    const f = fake({ workerIdle: () => told.push(clock()) });
    clock = f.now;
    f.at(100);
    f.c.made(true); // the first read
    f.at(1000);
    f.c.stir();
    f.c.made(true); // a refresh, the heap as it was: the worker only, half a second after the last stir
    f.at(1200);
    f.c.stir(); // a key: the quiet moment moves to half a second after it
    f.at(1600);
    expect(told).toEqual([]);
    f.at(2000);
    f.c.stir();
    f.c.made(true);
    f.at(2100);
    f.c.made(false); // a small store's refresh before that moment: nothing
    f.at(3000);
    f.grow(200);
    f.c.made(true); // a refresh that grew this thread's heap, after a quiet second: both, this thread first
    f.at(10_000);
    expect(told).toEqual([1700, 3020]);
    expect(f.collections).toEqual([3020]);
    f.c.stir();
    f.c.made(true); // the heap as the collection left it: the worker only
    f.at(10_300);
    f.c.stir();
    f.at(20_000);
    expect(told).toEqual([1700, 3020, 10_800]);
    expect(f.collections).toEqual([3020]);
  });

  it('collects once the heap grew past the step and nothing stirred for the quiet time', () => {
    const f = fake();
    f.c.made(true); // the first read: 100 MB
    f.at(1000);
    f.c.stir(); // the refresh on screen
    f.grow(120); // 20 MB past 100: over an eighth
    f.at(1300);
    f.c.made(true); // its views made 300 ms after
    f.at(1400);
    f.c.stir(); // a key
    f.at(1800);
    expect(f.collections).toEqual([]);
    f.at(5000);
    expect(f.collections).toEqual([1900]); // 500 ms after the key
    expect(f.c.due()).toBe(false);
  });

  it('never collects while stirs keep coming, and waits for whatever is busy', () => {
    const f = fake();
    f.c.made(true);
    f.grow(130);
    f.c.made(true);
    for (let t = 30; t <= 3000; t += 30) {
      f.at(t);
      f.c.stir(); // a key every 30 ms
    }
    expect(f.collections).toEqual([]);
    f.setBusy(true); // a read started
    f.at(6000);
    expect(f.collections).toEqual([]);
    expect(f.c.due()).toBe(true);
    f.setBusy(false);
    f.at(8000);
    expect(f.collections).toHaveLength(1);
  });

  it('does not collect for a small read, for growth under the step, or once another snapshot replaced the one made', () => {
    const f = fake();
    f.c.made(true);
    f.grow(160);
    f.c.made(false); // not big
    f.at(5000);
    f.grow(110); // 10 MB over 100: under an eighth (12.5)
    f.c.made(true);
    f.at(10_000);
    expect(f.collections).toEqual([]);
    f.grow(140);
    f.c.made(true);
    f.c.cancel(); // a new read went on screen
    f.at(20_000);
    expect(f.collections).toEqual([]);
  });

  it("counts growth from what V8's own collection left when the heap fell below the last base", () => {
    const f = fake();
    f.c.made(true); // base 100
    f.grow(70); // V8 collected by itself
    f.c.made(true); // base 70
    f.grow(80); // 10 MB past 70: at least 8 MiB and over an eighth
    f.c.made(true);
    f.at(1000);
    expect(f.collections).toHaveLength(1);
  });

  it('the step is an eighth of the heap, at least 8 MiB', () => {
    expect(collectionGrowth(128 * MB)).toBe(16 * MB);
    expect(collectionGrowth(30 * MB)).toBe(8 * MB);
  });
});
