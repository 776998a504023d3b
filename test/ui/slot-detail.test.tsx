// A bead's detail says each fact once: a repair's reason or a finding's message that gives a fact a detail line
// already gives (the slot reason, the incumbent, the alias holder, the live work) is not shown beside it again.
import { afterEach, describe, expect, test } from 'vitest';
import { demoState, storeWith } from './fixture.js';
import { KEYS, renderApp, type Harness } from './render.js';

let h: Harness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

/** The frame's lines joined as one text (the pane wraps at spaces), and how often `text` is in it. */
const oneText = (frame: string) => frame.replace(/\s+/g, ' ');
const times = (frame: string, text: string) => oneText(frame).split(text).length - 1;

/** The pane `enter` opens on `bead`, reached in the slots of `pool` with `moves`. */
async function paneOf(pool: string, moves: string[], bead: string): Promise<string> {
  const app = (h = renderApp(storeWith(demoState(), { columns: 120, rows: 30 })));
  await app.press(':', ...`slots ${pool}`, KEYS.enter, ...moves);
  await app.waitForFrame((x) => new RegExp(`^> .*${bead}`, 'm').test(x), `${bead} selected`);
  await app.press(KEYS.enter);
  return app.waitForFrame((x) => x.includes(`${bead} (1–`) && x.includes('esc closes'), `the pane of ${bead}`);
}

describe('the detail of a slot (enter)', () => {
  test('a restamp shows what it writes: the slot reason is on the first line only', async () => {
    const f = await paneOf('frontend/worker', ['j', 'j'], 'fe-poison');
    expect(times(f, 'pool_slot 3 is stale')).toBe(1);
    expect(f).toContain('proposed restamp-slot: metadata.pool_slot "3" → "2"');
    expect(f).toContain('proposed repair-alias: owned slot 2 of frontend/worker: alias "backend/worker-4" → frontend/nux');
  });

  test('a refused duplicate: its close says why the incumbent holds the slot, once, where that line went', async () => {
    const f = await paneOf('frontend/worker', ['j'], 'fe-dup');
    expect(times(f, 'its alias equals the slot identity frontend/furiosa')).toBe(1);
    // Right after the first line, where the line `refused duplicate of fe-ok: <why>` went.
    expect(oneText(f)).toContain(
      'agrees with agent identity "frontend/furiosa" proposed close-duplicate: refused duplicate of slot 1 of frontend/worker',
    );
    expect(f).not.toContain('refused duplicate of fe-ok:');
  });

  test('an alias conflict: the holder once, in the finding', async () => {
    const f = await paneOf('backend/worker', ['G'], 'be-four');
    expect(times(f, 'held by fe-poison as alias')).toBe(1);
    expect(f).toContain('action alias-conflict: owned slot 4 of backend/worker wants alias backend/worker-4');
  });
});

describe('the detail of a finding (enter in the findings view)', () => {
  test('the finding first, then its bead without what the finding said', async () => {
    h = renderApp(storeWith(demoState(), { columns: 120, rows: 30 }));
    await h.press('8');
    await h.waitForFrame((x) => /^> .*alias-conflict/m.test(x), 'the alias conflict selected');
    await h.press(KEYS.enter);
    const f = await h.waitForFrame((x) => x.includes('esc closes'), 'the pane');
    expect(times(f, 'held by fe-poison as alias')).toBe(1);
    expect(f).toMatch(/^action alias-conflict: /m);
    expect(oneText(f)).toContain('the bead stays without an alias (conflict count 2 since 2026-05-06T02:03:00Z) be-four template');
  });
});
