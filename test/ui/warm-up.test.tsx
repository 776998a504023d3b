// The off-screen warm-up run while the first read is on its way: the keys reach a console of its own, nothing is
// drawn on the terminal, and the operator's console state is not touched.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { warmUp } from '../../src/ui/warm-up.js';
import { demoState, storeWith } from './fixture.js';
import { renderApp } from './render.js';

const SIZE = { rows: 40, columns: 120 };

describe('the warm-up before the first look', () => {
  afterEach(() => vi.restoreAllMocks());

  test('draws its frames off screen, and a console mounted after it starts as one mounted before it', async () => {
    const firstFrame = async () => {
      const h = renderApp(storeWith(demoState(), SIZE));
      const f = await h.waitForFrame((x) => x.includes('TEMPLATE'), 'the pools view');
      h.unmount();
      return f;
    };
    const before = await firstFrame();
    const out = vi.spyOn(process.stdout, 'write');
    const err = vi.spyOn(process.stderr, 'write');
    const frames = await warmUp(SIZE, () => false);
    // The first frame and the keys' frames: the keys reached the scratch console.
    expect(frames).toBeGreaterThan(1);
    expect(out).not.toHaveBeenCalled();
    expect(err).not.toHaveBeenCalled();
    vi.restoreAllMocks();
    // Its keys (cursor moves, a view switch) left nothing behind in what consoles share (the keymap, the rows' caches).
    expect(await firstFrame()).toBe(before);
  });

  test('does nothing once the first look is there', async () => {
    expect(await warmUp(SIZE, () => true)).toBe(0);
  });

  test('stops typing when the first look comes', async () => {
    let asked = 0;
    // The first look arrives after the first key.
    const frames = await warmUp(SIZE, () => ++asked > 2);
    expect(asked).toBe(3);
    expect(frames).toBeGreaterThan(0);
  });
});
