// What the operator sees while the console works: the status line says what is running, beside the message.
// (The same on a 100 000-bead store in the plan worker, with keys handled meanwhile: busy-100k.long.test.tsx.)
import { afterEach, describe, expect, test } from 'vitest';
import { workText } from '../../src/ui/components/StatusLine.js';
import { demoState, storeWith } from './fixture.js';
import { renderApp, type Harness } from './render.js';

let h: Harness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

/** The status line: the line above the footer (the last line). */
const statusLine = (f: string) => {
  const lines = f.split('\n').filter((l) => l.trim() !== '');
  return lines[lines.length - 2] ?? '';
};

describe('status line', () => {
  test('names the write and the read in progress on its right, beside the message', async () => {
    expect(workText(null, null)).toBeNull();
    expect(workText('applying rollback-stale-create:x', null)).toBe('applying rollback-stale-create:x…');
    expect(workText('applying rollback-stale-create:x', 'reading…')).toBe('applying rollback-stale-create:x… · reading…');
    const store = storeWith(demoState());
    h = renderApp(store);
    store.getState().patchUi({
      busy: 'applying rollback-stale-create:be-stale',
      activity: 'reading…',
      message: { text: 'exported md snapshot to /tmp/x.md', tone: 'info' },
    });
    let f = await h.waitForFrame((x) => x.includes('reading…'));
    expect(statusLine(f)).toContain('exported md snapshot');
    expect(statusLine(f)).toMatch(/applying rollback-stale-create:be-stale… · reading…\s*$/);
    store.getState().patchUi({ busy: null, activity: null });
    f = await h.waitForFrame((x) => !x.includes('reading…'));
    expect(statusLine(f)).not.toContain('applying');
  });
});
