// The line shown while the first read runs, before the console takes the screen: which input, how big, and
// what is happening ("reading…", "planning…"), rewritten in place as the reader moves on. Only on a terminal
// (a pipe gets nothing extra), and erased before the console or an error line takes its place. No React here:
// run.tsx loads React while the first read runs, and mounts it once the read's first look is here.
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import type { AppStore } from '../console/state.js';
import { dataPathOf, shownSource } from '../store/fs/paths.js';
import type { Source } from '../store/types.js';
import { clean, truncateEnd } from './text.js';

/** 53 MB, 812 kB, 120 B. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${Math.round(n / 1000)} kB`;
  if (n < 1_000_000_000) return `${Math.round(n / 1_000_000)} MB`;
  return `${(n / 1_000_000_000).toFixed(1)} GB`;
}

/** The loading line: "gc-tui: demo-city.json (53 MB): reading…". */
export function loadingText(what: string, bytes: number | null, activity: string | null): string {
  const size = bytes === null ? '' : ` (${formatBytes(bytes)})`;
  return `gc-tui: ${clean(what)}${size}: ${clean(activity ?? 'starting…')}`;
}

interface LineStream {
  isTTY?: boolean;
  columns?: number;
  write(s: string): boolean;
}

const ERASE = '\r\u001b[2K';

/** Show the loading line on `stream` (a terminal only) and follow the reader's activity; the result erases it. */
export function showLoading(stream: LineStream, store: AppStore, source: Source): () => void {
  if (!stream.isTTY) return () => {};
  let bytes: number | null = null;
  try {
    bytes = statSync(dataPathOf(source)).size;
  } catch {
    bytes = null;
  }
  const what = source.kind === 'store' ? basename(shownSource(source)) : shownSource(source);
  let shown = '';
  const draw = () => {
    const text = truncateEnd(loadingText(what, bytes, store.getState().ui.activity), Math.max(10, (stream.columns ?? 80) - 1));
    if (text === shown) return;
    shown = text;
    stream.write(ERASE + text);
  };
  draw();
  const unsubscribe = store.subscribe(draw);
  let done = false;
  return () => {
    if (done) return;
    done = true;
    unsubscribe();
    stream.write(ERASE);
  };
}
