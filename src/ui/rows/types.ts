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
}

export interface Row {
  /** Stable identity across refreshes: the cursor follows it. */
  key: string;
  cells: string[];
  /** Lower-cased text the `/` filter matches against. */
  search: string;
  /** Ids this row shows (beads, templates, repairs); it is highlighted when one changed while paused. */
  ids: string[];
  tone?: Tone;
  /** Per-cell tone, e.g. the flags column of a troubled slot. */
  cellTones?: (Tone | undefined)[];
  /** A row that belongs to the row above it (a refused duplicate under its incumbent). */
  child?: boolean;
}

export interface Table {
  columns: Column[];
  rows: Row[];
}

export function makeRow(key: string, cells: string[], ids: string[], extra: Partial<Row> = {}): Row {
  return { key, cells, ids, search: cells.join(' ').toLowerCase(), ...extra };
}
