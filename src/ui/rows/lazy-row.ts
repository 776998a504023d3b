// The rows of the long lists (the slots and aliases views: 300 000 rows at 100 000 beads). Each holds what it is
// made of (a bead, its detail, a claim) and makes its cells, ids and tones when read (types.ts); what every
// list needs of every row, the cells' widths, is made once, from the cells. Its search text is not kept: the `/`
// filter's index of the list holds the texts of its rows, joined (rows/filter.ts), and a row read apart makes its
// text from its cells. Kept by each row, a string each, the texts cost about 5 MB more at 100 000 beads.
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

/** `lo` of a row whose widths are not packed. */
const NO_WIDTHS = -1;

/**
 * A LazyRow that keeps its widths in two numbers, one shared with its own flags: `bits` holds the subclass's flags in
 * its low `flagBits` bits and packWidths' hi above them, so a row pays two fields for its flags and widths, not three
 * or four (the aliases view's 216 000 rows and the slots view's 72 000 at 100 000 beads).
 */
export abstract class PackedLazyRow extends LazyRow {
  private lo = NO_WIDTHS;

  /** `flags` below 1 << flagBits. */
  protected constructor(protected bits: number) {
    super();
  }

  /** How many low bits of `bits` the subclass's flags take (a getter: no field of every row). */
  protected abstract get flagBits(): number;

  get widthsLo(): number | undefined {
    return this.lo === NO_WIDTHS ? undefined : this.lo;
  }

  get widthsHi(): number | undefined {
    return this.lo === NO_WIDTHS ? undefined : this.bits >>> this.flagBits;
  }

  protected keep(widths: [number, number] | null): void {
    if (widths) {
      this.lo = widths[0];
      this.bits |= widths[1] << this.flagBits;
    }
  }
}

/** Whether `rows` are rows that make their search text when read (an index holds their texts), or a list made when read. */
export const isLazy = (rows: readonly Row[]): boolean => isRowList(rows) || (rows.length > 0 && rows[0] instanceof LazyRow);
