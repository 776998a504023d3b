// The shape every list view renders: columns plus pre-formatted, sanitized rows. Rows are derived
// once per plan (see derive.ts) so keystrokes only window and filter them.
import type { Tone } from '../theme.js';

export interface Column {
  title: string;
  /** Fixed width in cells; otherwise the column shares the remaining width by `flex`. */
  width?: number;
  flex?: number;
  /** Smallest useful width for a flex column; columns are dropped from the right when even this does not fit. */
  min?: number;
  align?: 'left' | 'right';
  /**
   * Drop order when the terminal is too narrow for every column: the highest goes first (0, the default, last;
   * among equals the rightmost goes first).
   */
  drop?: number;
  /**
   * How a cell too long for its column is cut: at the end (prose), or in the middle for names and ids, so the
   * distinguishing tail stays visible (`backend/…der-1`).
   */
  cut?: 'end' | 'middle';
  /**
   * Cells a flex column is given before the name columns get theirs (never more than its content): a column whose
   * head says what is wrong with a row (the slots view's FLAGS) is worth more than a name shown whole, which a cut
   * in the middle still tells apart.
   */
  first?: number;
  /** A shorter title for when the column is too narrow for `title` (titles are cut at the end, never in the middle). */
  short?: string;
  /**
   * The narrowest a column is cut to (at its `cut`, with …), below its `min` or its content, rather than being dropped:
   * when the columns left are the ones of most value (`drop` 0), those with `least` give up cells, the widest first,
   * before any of them goes. Without it, a column keeps its `min` (a fixed one its content) or is dropped.
   */
  least?: number;
}

/** An id column: as wide as its widest id (up to this), cut in the middle beyond. */
export const ID_COLUMN = { width: 32, cut: 'middle' } as const;

/**
 * A table row. The long lists (the slots and aliases views: 300 000 rows at 100 000 beads) make their rows as
 * objects of their own class that hold what the row is made of (a bead, its detail, a claim) and its `search`
 * text; `cells`, `ids` and the tones are made when read, which only the window drawn, a sort, the column widths and
 * an export do. Kept for every row, cells took about 100 MB at 100 000 beads. Read `cells` once per use.
 */
export interface Row {
  /** Stable identity across refreshes: the cursor follows it. */
  key: string;
  /**
   * Whether its key is `key`, read without making the key: a row whose key is made of its parts when read (an aliases
   * row's) is found by a scan of a long list that keeps no index of its keys (views/registry.ts indexOfKey).
   */
  hasKey?(key: string): boolean;
  cells: string[];
  /** Lower-cased text the `/` filter matches against (searchText of the cells). */
  search: string;
  /** Ids this row shows (beads, templates, repairs); it is highlighted when one changed while paused. */
  ids: string[];
  tone?: Tone;
  /** Per-cell tone, e.g. the flags column of a troubled slot. */
  cellTones?: (Tone | undefined)[];
  /** A row that belongs to the row above it (a refused duplicate under its incumbent). */
  child?: boolean;
  /** Its cells' widths, packed in two words (fit-columns.ts, packWidths), kept by a row that makes its cells when read. */
  widthsLo?: number;
  widthsHi?: number;
}

/** Whether `row`'s key is `key`: asked of the row where it can tell without making its key (Row.hasKey). */
export const rowHasKey = (row: Row, key: string): boolean => (row.hasKey ? row.hasKey(key) : row.key === key);

export interface Table {
  columns: Column[];
  rows: Row[];
}

/** What the `/` filter matches a row's cells against: their text, lower-cased. */
export function searchText(cells: readonly string[]): string {
  return cells.join(' ').toLowerCase();
}

export function makeRow(key: string, cells: string[], ids: string[], extra: Pick<Row, 'tone' | 'cellTones' | 'child'> = {}): Row {
  // Every field from the start, in one order: a field added later (a tone, a child mark) gave a row a second
  // store of its fields and the lists rows of many shapes (about 27 MB and slower reads at 100 000 beads).
  return {
    key,
    cells,
    search: searchText(cells),
    ids,
    tone: extra.tone,
    cellTones: extra.cellTones,
    child: extra.child,
  };
}
