// Rows that make their cells' text for the `/` filter when read (the repairs queue's): its search text is not kept,
// the filter's index of the list holds the texts of its rows, joined (rows/filter.ts), and a row read apart makes its
// text from its cells. Kept by each row, a string each, the texts cost about 5 MB more at 100 000 beads. The long lists
// (the slots and aliases views: 300 000 rows at 100 000 beads) hold no object per row at all: their rows are made when
// read from the list's columns (row-list.ts).
import { packWidths } from '../components/fit-columns.js';
import { isRowList } from './row-list.js';
import { searchText, type Row } from './types.js';

/** The row measured last and its text: what a table reads as it makes the row for its index, without the cells again. */
const measured: { row: LazyRow | null; text: string } = { row: null, text: '' };

export abstract class LazyRow implements Row {
  /** Its cells' widths (fit-columns.ts): a list is measured without making every row's cells. */
  abstract readonly widthsLo: number | undefined;
  abstract readonly widthsHi: number | undefined;
  /** Where a subclass keeps what `measure` made: its own fields, or fewer (216 000 aliases rows pay for each). */
  protected abstract keep(widths: [number, number] | null): void;

  abstract get key(): string;
  abstract get cells(): string[];
  abstract get ids(): string[];

  /** Its text for the `/` filter, made from its cells (the filter reads a long list's texts from its index). */
  get search(): string {
    return measured.row === this ? measured.text : searchText(this.cells);
  }

  /** The widths of the cells: the last step of a subclass's constructor, once its fields are set. */
  protected measure(): void {
    const cells = this.cells;
    measured.row = this;
    measured.text = searchText(cells);
    this.keep(packWidths(cells));
  }
}

/** Whether `rows` are rows that make their search text when read (an index holds their texts), or a list made when read. */
export const isLazy = (rows: readonly Row[]): boolean => isRowList(rows) || (rows.length > 0 && rows[0] instanceof LazyRow);
