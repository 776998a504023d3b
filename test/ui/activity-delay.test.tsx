// The status line's 'reading…' and 'planning…' once data is on screen: only for a read or re-plan that has run a
// moment, not for one that lands soon (each such frame cost an outside change 5-13 ms of the console's thread).
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { State } from '../../src/engine/types.js';
import { createAppStore } from '../../src/console/state.js';
import { startLive, type Live, type LiveOptions } from '../../src/console/watch.js';
import { loadSource } from '../../src/store/source.js';
import type { Source } from '../../src/store/types.js';
import { tempDir } from '../support/files.js';
import { until } from '../support/wait.js';
import { endAfterEach } from '../support/teardown.js';
import { demoState } from './fixture.js';
import { renderApp, type Harness } from './render.js';

let h: Harness | null = null;
let live: Live | null = null;
endAfterEach(() => [h, live]);

const WORKING = /reading…|planning…|receiving the new plan…/;
const selected = (f: string) => f.split('\n').find((l) => l.startsWith('>')) ?? '';

function writeStore(file: string, s: State) {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify({ schema: 'gc-tui/1', seq: 1, ...s, decisions: [] }));
  renameSync(tmp, file);
}

/** be-evil quarantined: what the refresh brings. */
function changed(): State {
  const s = demoState();
  s.beads.find((b) => b.id === 'be-evil')!.metadata!.state = 'quarantined';
  return s;
}

/**
 * The demo store, read by a console (no watcher: the test refreshes) on the slots view, whose reads after the first
 * wait for the test's `release()` once they have started.
 */
async function consoleWithHeldReads(opts: Omit<LiveOptions, 'store' | 'source'> = {}) {
  const file = join(tempDir('gc-tui-activity-'), 'store.json');
  writeStore(file, demoState());
  let reads = 0;
  let release = () => {};
  const load = async (src: Source) => {
    if (reads++ > 0) await new Promise<void>((res) => (release = res));
    return loadSource(src);
  };
  const store = createAppStore({ viewport: { rows: 30, columns: 100 } });
  live = startLive({ store, source: { kind: 'store', path: file }, load, watch: false, ...opts });
  await live.ready;
  const harness = (h = renderApp(store));
  await harness.press('2');
  await harness.waitForFrame((f) => /be-evil .*asleep/.test(f));
  return { file, harness, started: () => reads > 1, release: () => release() };
}

describe('the status line while a refresh runs', () => {
  test('a refresh that lands before the moment passes draws no reading… or planning… frame', async () => {
    // The moment never passes: only the read's end may change the status line.
    const c = await consoleWithHeldReads({ sayActivity: () => () => undefined });
    writeStore(c.file, changed());
    const from = c.harness.stdout.frames.length;
    const refreshed = live!.refresh();
    await until(c.started, 'the read to start');
    // A key's frame comes after the read started: the status line as it is while the read runs.
    const before = selected(c.harness.frame());
    await c.harness.press('j');
    const during = await c.harness.waitForFrame((f) => selected(f) !== before, 'the cursor moved');
    expect(during).not.toMatch(WORKING);
    c.release();
    await refreshed;
    await c.harness.waitForFrame((f) => /be-evil .*quarantined/.test(f), 'the change');
    expect(c.harness.stdout.frames.slice(from).filter((f) => WORKING.test(f))).toEqual([]);
  });

  test('a read still running after the moment says so, and the word goes when it lands', async () => {
    const c = await consoleWithHeldReads();
    writeStore(c.file, changed());
    const refreshed = live!.refresh();
    await c.harness.waitForFrame((f) => f.includes('reading…'), 'the status line saying the read runs');
    c.release();
    await refreshed;
    await c.harness.waitForFrame((f) => /be-evil .*quarantined/.test(f) && !WORKING.test(f), 'the change, and the word gone');
  });

  test('the first read says what it does at once (the loading line follows it)', async () => {
    const file = join(tempDir('gc-tui-activity-first-'), 'store.json');
    writeStore(file, demoState());
    let release: (() => void) | null = null;
    const load = async (src: Source) => {
      await new Promise<void>((res) => (release = res));
      return loadSource(src);
    };
    const store = createAppStore({ viewport: { rows: 30, columns: 100 } });
    // The moment never passes: the word can only come at once.
    live = startLive({ store, source: { kind: 'store', path: file }, load, watch: false, sayActivity: () => () => undefined });
    await until(() => release !== null, 'the first read to start');
    expect(store.getState().ui.activity).toBe('reading…');
    release!();
    await live.ready;
    expect(store.getState().ui.activity).toBeNull();
  });
});
