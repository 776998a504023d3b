// Column widths for a terminal width, by content and priority. Every column wants its content (the widest
// cell, capped); a fixed column (`width`) is that wide at most and never shrinks below its content; a flex
// column can shrink to its `min`. When even the smallest widths do not fit, the columns of least value go
// first (highest `drop`, then the rightmost), except that before a column of the most value (`drop` 0) goes, the
// columns with a `least` width are cut toward it (a repair's KIND and BEAD cut with … rather than gone); the room left is shared by weight among the flex columns that
// still want more, so short columns waste nothing that a long reason needs.
import { inSlices } from '../rows/derive.js';
import { cellsIn } from '../text.js';
import type { Column, Row } from '../rows/types.js';

export const GAP = 1;
/** One very long value should not starve the other columns. */
const CONTENT_CAP = 80;
/** The cells a name column is given before the other flex columns get theirs (fitColumns). */
const NAME_FIRST = 40;
/**
 * The cells a name column is given even before a column's `first` cells: its head and tail either side of the cut
 * (`backe…rker-1`), and a title as long as AGENT_NAME whole.
 */
const NAME_FLOOR = 12;

const contentCache = new WeakMap<Row[], number[]>();

/** Widest cell (in terminal cells) per column over all rows and the title, cached per row list. */
export function contentWidths(columns: readonly Column[], rows: Row[]): number[] {
  let w = contentCache.get(rows);
  if (!w) {
    w = columns.map((c) => c.title.length);
    for (const r of rows) widen(w, r);
    contentCache.set(rows, w);
  }
  return w;
}

/** The terminal cells of `s` (a wide character two), nothing for none. */
function cellsOf(s: string | undefined): number {
  return s ? cellsIn(s) : 0;
}

/** Cells whose widths a row can keep in its two `widths` words (7 bits each, 4 to a word). */
const PACKED_CELLS = 8;

/**
 * A row's cell widths (terminal cells, capped as the columns cap them) in two small integers, 7 bits a cell: what
 * a row that makes its cells when read (rows/types.ts) keeps, so that measuring a list does not make every row's
 * cells (at 100 000 beads the aliases' rows measured in 160 ms so instead of 35, a pool's slots in 60 instead of 8).
 * Null for a row of more cells than they hold (its cells are then measured).
 */
export function packWidths(cells: readonly string[]): [number, number] | null {
  if (cells.length > PACKED_CELLS) return null;
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < cells.length; i++) {
    const len = Math.min(cellsOf(cells[i]), CONTENT_CAP);
    if (i < 4) lo |= len << (7 * i);
    else hi |= len << (7 * (i - 4));
  }
  return [lo, hi];
}

/**
 * Measured again for each new row list, not kept per row: at 100 000 beads the aliases' 216 000 rows measure in
 * 60–80 ms, while an array of lengths per row kept 26 MB and took longer to make than the measuring. A row that
 * keeps its widths packed (packWidths) is read from them.
 */
function widen(w: number[], r: Row): void {
  const lo = r.widthsLo;
  if (lo !== undefined && w.length <= PACKED_CELLS) {
    widenPacked(w, lo, r.widthsHi ?? 0);
    return;
  }
  const cells = r.cells;
  for (let i = 0; i < w.length; i++) {
    const len = cellsOf(cells[i]);
    if (len > w[i]) w[i] = Math.min(len, CONTENT_CAP);
  }
}

/** `w` widened to the widths packed in `lo` and `hi` (packWidths). */
function widenPacked(w: number[], lo: number, hi: number): void {
  for (let i = 0; i < w.length; i++) {
    const len = ((i < 4 ? lo : hi) >>> (7 * (i & 3))) & 127;
    if (len > w[i]) w[i] = len;
  }
}

/**
 * The content widths of a list held as columns (rows/row-list.ts), widened row by row from each row's packed widths
 * (packWidths) as the list is made, in its slices: not a row made for them, nor a pass of its own over 216 000 rows.
 */
export class PackedContent {
  private readonly w: number[];

  constructor(columns: readonly Column[]) {
    if (columns.length > PACKED_CELLS) throw new Error(`${columns.length} columns: more than packed widths hold`);
    this.w = columns.map((c) => c.title.length);
  }

  /** The next row's packed widths. */
  add(lo: number, hi: number): void {
    widenPacked(this.w, lo, hi);
  }

  /** The widths of `rows`, the list whose rows were added (contentWidths answers them). */
  done(rows: Row[]): void {
    contentCache.set(rows, this.w);
  }
}

/** The same widths measured a slice of rows at a time, awaiting `pause` in between (ahead of the table's first frame). */
export async function warmContentWidths(columns: readonly Column[], rows: Row[], pause: () => Promise<void>): Promise<void> {
  if (contentCache.has(rows)) return;
  const w = columns.map((c) => c.title.length);
  await inSlices(rows, (r) => widen(w, r), pause);
  contentCache.set(rows, w);
}

/** The width a column wants: its content, at most its fixed width. Without content: its fixed width, else unbounded. */
function natural(c: Column, content: number | undefined): number {
  if (content === undefined) return c.width ?? Infinity;
  return Math.max(1, Math.min(content, c.width ?? CONTENT_CAP));
}

/** The narrowest a column may be: a fixed column its natural width, a flex one its `min` (never more than it wants). */
function floor(c: Column, want: number): number {
  if (c.width !== undefined) return want;
  return Math.min(c.min ?? 4, want);
}

/**
 * Takes `excess` cells from the kept columns that have a `least` width, a cell at a time from the one with the most
 * above its `least` (so the cut is shared), lowering their minimums in `lo`. False, with `lo` untouched, when
 * they cannot give that many.
 */
function squeeze(columns: readonly Column[], lo: number[], kept: readonly boolean[], excess: number): boolean {
  const room = (i: number) => {
    const least = columns[i].least;
    return kept[i] && least !== undefined ? Math.max(0, lo[i] - least) : 0;
  };
  if (columns.reduce((s, _, i) => s + room(i), 0) < excess) return false;
  for (let left = excess; left > 0; left--) {
    let most = 0;
    for (let i = 1; i < columns.length; i++) if (room(i) > room(most)) most = i;
    lo[most]--;
  }
  return true;
}

export function fitColumns(columns: readonly Column[], width: number, content?: readonly number[]): number[] {
  const want = columns.map((c, i) => natural(c, content?.[i]));
  const lo = columns.map((c, i) => floor(c, want[i]));
  const kept = columns.map(() => true);
  const need = () => lo.reduce((s, w, i) => s + (kept[i] ? w + GAP : 0), 0) - GAP;
  let count = columns.length;
  // Drop the least valuable column (highest `drop`; among equals the rightmost) until the minimums fit; before one of
  // the most value goes, cut the columns that have a `least` width toward it, if that is enough.
  while (count > 1 && need() > width) {
    let worst = -1;
    for (let i = 0; i < columns.length; i++) {
      if (kept[i] && (worst < 0 || (columns[i].drop ?? 0) >= (columns[worst].drop ?? 0))) worst = i;
    }
    if ((columns[worst].drop ?? 0) === 0 && squeeze(columns, lo, kept, need() - width)) break;
    kept[worst] = false;
    count--;
  }
  const widths = columns.map((_, i) => (kept[i] ? lo[i] : 0));
  if (count === 1) {
    const only = kept.indexOf(true);
    widths[only] = Math.max(1, Math.min(Number.isFinite(want[only]) ? Math.max(want[only], lo[only]) : width, width));
    return widths;
  }
  let spare = width - need();
  const flexIdx = columns.map((_, i) => i).filter((i) => kept[i] && columns[i].width === undefined);
  const weight = (i: number) => columns[i].flex ?? 1;
  // Water-filling: share the spare room by weight among flex columns that still want more.
  // Names (cut in the middle) up to NAME_FLOOR cells, then a column's `first` cells (what is wrong with a row, read
  // whole), then names up to NAME_FIRST cells: a whole name tells rows apart, a longer reason only says more. Then
  // the other columns, then the names again: one very long name (an agent_name of 300 characters) must not take the
  // room of every row's flags.
  const names = flexIdx.filter((i) => columns[i].cut === 'middle');
  const phases: [number[], (i: number) => number][] = [
    [names, () => NAME_FLOOR],
    [flexIdx.filter((i) => columns[i].first !== undefined), (i) => columns[i].first ?? 0],
    [names, () => NAME_FIRST],
    [flexIdx.filter((i) => columns[i].cut !== 'middle'), () => Infinity],
    [flexIdx, () => Infinity],
  ];
  for (const [phase, capOf] of phases) {
    const hunger = (i: number) => Math.max(0, Math.min(want[i], capOf(i)) - widths[i]);
    for (let round = 0; round < 16 && spare > 0; round++) {
      const hungry = phase.filter((i) => hunger(i) > 0);
      if (hungry.length === 0) break;
      const total = hungry.reduce((s, i) => s + weight(i), 0);
      let given = 0;
      for (const i of hungry) {
        const add = Math.min(hunger(i), Math.max(1, Math.floor((spare * weight(i)) / total)));
        const take = Math.min(add, spare - given);
        widths[i] += take;
        given += take;
      }
      spare -= given;
      if (given === 0) break;
    }
  }
  // What nobody wants goes to the last flex column, so long values there get the most room.
  const last = flexIdx[flexIdx.length - 1];
  if (spare > 0 && last !== undefined) widths[last] += spare;
  return widths;
}
