// The rows of the long lists (the slots and aliases views: 300 000 rows at 100 000 beads). Each holds what it is
// made of (a bead, its detail, a claim) and makes its cells, ids and tones when read (types.ts); what every
// list needs of every row, the search text and the cells' widths, is made once, from the cells.
import { packWidths } from '../components/fit-columns.js';
import { searchText, type Row } from './types.js';

export abstract class LazyRow implements Row {
  abstract readonly search: string;
  /** Its cells' widths (fit-columns.ts): a list is measured without making every row's cells. */
  abstract readonly widthsLo: number | undefined;
  abstract readonly widthsHi: number | undefined;
  /** Where a subclass keeps what `measure` made: its own fields, or fewer (216 000 aliases rows pay for each). */
  protected abstract keep(search: string, widths: [number, number] | null): void;

  abstract get key(): string;
  abstract get cells(): string[];
  abstract get ids(): string[];

  /** The search text and widths of the cells: the last step of a subclass's constructor, once its fields are set. */
  protected measure(): void {
    const cells = this.cells;
    this.keep(searchText(cells), packWidths(cells));
  }
}
