// The loading line before the first frame: on a terminal only, following the reader, erased when done.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createAppStore } from '../../src/console/state.js';
import { formatBytes, loadingText, showLoading } from '../../src/ui/loading.js';
import { tempDir } from '../support/files.js';

function stream(isTTY: boolean) {
  const s = { isTTY, columns: 80, out: '', write: (x: string) => ((s.out += x), true) };
  return s;
}

describe('the loading line', () => {
  test('names the input, its size and what the reader does', () => {
    expect(formatBytes(120)).toBe('120 B');
    expect(formatBytes(812_400)).toBe('812 kB');
    expect(formatBytes(53_200_000)).toBe('53 MB');
    expect(loadingText('city.json', 53_200_000, 'reading…')).toBe('gc-tui: city.json (53 MB): reading…');
    expect(loadingText('a\u001b[2Jb', null, null)).toBe('gc-tui: a\\e[2Jb: starting…');
  });

  test('follows the reader on a terminal, then erases itself; a pipe gets nothing', () => {
    const dir = tempDir('gc-tui-loading-');
    const file = join(dir, 'city.json');
    writeFileSync(file, 'x'.repeat(2500));
    const store = createAppStore();
    const tty = stream(true);
    const stop = showLoading(tty, store, { kind: 'store', path: file });
    expect(tty.out).toContain('gc-tui: city.json (3 kB): starting…');
    store.getState().patchUi({ activity: 'reading…' });
    expect(tty.out).toMatch(/city\.json \(3 kB\): reading…$/);
    store.getState().patchUi({ activity: 'planning…' });
    expect(tty.out).toMatch(/: planning…$/);
    stop();
    expect(tty.out.endsWith('\r\u001b[2K')).toBe(true);
    const after = tty.out;
    store.getState().patchUi({ activity: 'reading…' });
    expect(tty.out).toBe(after);

    const pipe = stream(false);
    showLoading(pipe, store, { kind: 'store', path: file })();
    expect(pipe.out).toBe('');
  });
});
