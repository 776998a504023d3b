// Column widths for a terminal width: fixed columns keep their width; flex columns start at their
// minimum and grow towards their content (so short columns do not waste room that a long reason
// needs); columns are dropped from the right when even their minimums do not fit.
import type { Column, Row } from '../rows/types.js';

export const GAP = 1;
/** One very long value should not starve the other columns. */
const CONTENT_CAP = 80;

const contentCache = new WeakMap<Row[], number[]>();

/** Widest cell (in code points) per column over all rows, cached per row list. */
export function contentWidths(columns: readonly Column[], rows: Row[]): number[] {
  let w = contentCache.get(rows);
  if (!w) {
    w = columns.map((c) => c.title.length);
    for (const r of rows) {
      for (let i = 0; i < w.length; i++) {
        const len = r.cells[i]?.length ?? 0;
        if (len > w[i]) w[i] = Math.min(len, CONTENT_CAP);
      }
    }
    contentCache.set(rows, w);
  }
  return w;
}

export function fitColumns(columns: readonly Column[], width: number, content?: readonly number[]): number[] {
  const base = (c: Column) => c.width ?? c.min ?? 4;
  let count = columns.length;
  const need = (n: number) => columns.slice(0, n).reduce((sum, c) => sum + base(c), 0) + GAP * Math.max(0, n - 1);
  while (count > 1 && need(count) > width) count--;
  const widths = columns.map((c, i) => (i < count ? base(c) : 0));
  let spare = width - need(count);
  const flexIdx = columns.map((c, i) => i).filter((i) => i < count && columns[i].width === undefined);
  const weight = (i: number) => columns[i].flex ?? 1;
  // Water-filling: share the spare room by weight among flex columns that still want more.
  const want = (i: number) => (content ? Math.max(0, content[i] - widths[i]) : Infinity);
  for (let round = 0; round < 8 && spare > 0; round++) {
    const hungry = flexIdx.filter((i) => want(i) > 0);
    if (hungry.length === 0) break;
    const total = hungry.reduce((s, i) => s + weight(i), 0);
    let given = 0;
    for (const i of hungry) {
      const add = Math.min(want(i), Math.max(1, Math.floor((spare * weight(i)) / total)));
      const take = Math.min(add, spare - given);
      widths[i] += take;
      given += take;
    }
    spare -= given;
    if (given === 0) break;
  }
  // What nobody wants goes to the last flex column, so long values there get the most room.
  const last = flexIdx[flexIdx.length - 1];
  if (spare > 0 && last !== undefined) widths[last] += spare;
  if (count === 1) widths[0] = Math.max(1, Math.min(widths[0], width));
  return widths;
}
