// Ink's Output (ink/build/output.js, Ink 6.8), the grid a frame is drawn into, with each row's text kept from one
// frame to the next (see tokenize.ts for how the build hands it to Ink's renderer in place of the package's).
// Ink's get() made a grid of the whole screen for every frame (an object and a style list per blank cell, 4 800 at
// 120×40), copied every line's characters into it and joined each row again: about 0.8 MB of garbage a key, half of
// what a key allocated, so a young collection every few keys, inside one of them. A row's text depends only on the
// screen's width and the lines written on it (where and what, in order), so those make its key; a row is built
// into cells, as Ink builds it, only when that key was not seen in the last frames. A j or k changes two rows.
//
// Everything else is the package's: the clips, the transformers, which writes a row gets and in what order.
// test/ui/ink-cache.test.ts checks both give the same frame.
import sliceAnsi from './slice-ansi.js';
import stringWidth from './string-width.js';
import { styledCharsFromTokens, styledCharsToString, tokenize, type StyledChar } from './tokenize.js';
import { TwoGenerations } from './generations.js';
import { oneCellWidth } from './one-cell.js';

type OutputTransformer = (s: string, index: number) => string;

interface Clip {
  x1: number | undefined;
  x2: number | undefined;
  y1: number | undefined;
  y2: number | undefined;
}

type Operation =
  | { type: 'write'; x: number; y: number; text: string; transformers: OutputTransformer[] }
  | { type: 'clip'; clip: Clip }
  | { type: 'unclip' };

/** A blank cell. Shared: Ink's output only reads the cells it joins (a written character replaces one). */
const BLANK: StyledChar = { type: 'char', value: ' ', fullWidth: false, styles: [] };

/** Rows kept per generation (two generations): a few screens of rows, so a page back finds its rows too. */
const rows = new TwoGenerations<string, string>(512);

class OutputCaches {
  widths = new Map<string, number>();
  blockWidths = new Map<string, number>();
  styledChars = new Map<string, StyledChar[]>();

  getStyledChars(line: string): StyledChar[] {
    let cached = this.styledChars.get(line);
    if (cached === undefined) {
      cached = styledCharsFromTokens(tokenize(line));
      this.styledChars.set(line, cached);
    }
    return cached;
  }

  getStringWidth(text: string): number {
    let cached = this.widths.get(text);
    if (cached === undefined) {
      cached = stringWidth(text);
      this.widths.set(text, cached);
    }
    return cached;
  }

  getWidestLine(text: string): number {
    let cached = this.blockWidths.get(text);
    if (cached === undefined) {
      let lineWidth = 0;
      for (const line of text.split('\n')) lineWidth = Math.max(lineWidth, this.getStringWidth(line));
      cached = lineWidth;
      this.blockWidths.set(text, cached);
    }
    return cached;
  }
}

export default class Output {
  width: number;
  height: number;
  private readonly operations: Operation[] = [];
  private readonly caches = new OutputCaches();

  constructor(options: { width: number; height: number }) {
    this.width = options.width;
    this.height = options.height;
  }

  write(x: number, y: number, text: string, options: { transformers: OutputTransformer[] }): void {
    if (!text) return;
    this.operations.push({ type: 'write', x, y, text, transformers: options.transformers });
  }

  clip(clip: Clip): void {
    this.operations.push({ type: 'clip', clip });
  }

  unclip(): void {
    this.operations.push({ type: 'unclip' });
  }

  get(): { output: string; height: number } {
    // Each row's writes, in order: its column and its line (transformed), as Ink would copy them into the row's cells.
    const writes: (string | number)[][] = [];
    for (let y = 0; y < this.height; y++) writes.push([]);
    const clips: Clip[] = [];
    for (const operation of this.operations) {
      if (operation.type === 'clip') clips.push(operation.clip);
      if (operation.type === 'unclip') clips.pop();
      if (operation.type === 'write') {
        const { text, transformers } = operation;
        let { x, y } = operation;
        let lines = text.split('\n');
        const clip = clips.at(-1);
        if (clip) {
          const clipHorizontally = typeof clip?.x1 === 'number' && typeof clip?.x2 === 'number';
          const clipVertically = typeof clip?.y1 === 'number' && typeof clip?.y2 === 'number';
          // Outside the clip altogether: nothing of it shows.
          if (clipHorizontally) {
            const width = this.caches.getWidestLine(text);
            if (x + width < clip.x1! || x > clip.x2!) continue;
          }
          if (clipVertically) {
            const height = lines.length;
            if (y + height < clip.y1! || y > clip.y2!) continue;
          }
          if (clipHorizontally) {
            lines = lines.map((line) => {
              const from = x < clip.x1! ? clip.x1! - x : 0;
              const width = this.caches.getStringWidth(line);
              const to = x + width > clip.x2! ? clip.x2! - x : width;
              return sliceAnsi(line, from, to);
            });
            if (x < clip.x1!) x = clip.x1!;
          }
          if (clipVertically) {
            const from = y < clip.y1! ? clip.y1! - y : 0;
            const height = lines.length;
            const to = y + height > clip.y2! ? clip.y2! - y : height;
            lines = lines.slice(from, to);
            if (y < clip.y1!) y = clip.y1!;
          }
        }
        let offsetY = 0;
        for (let index = 0; index < lines.length; index++) {
          const row = writes[y + offsetY];
          // A line below the grid (or above it) is not drawn; as in Ink, neither is any after it.
          if (!row) continue;
          let line = lines[index];
          for (const transformer of transformers) line = transformer(line, index);
          row.push(x, line);
          offsetY++;
        }
      }
    }
    const text = writes.map((row) => (row.length === 0 ? '' : this.row(row)));
    return { output: text.join('\n'), height: writes.length };
  }

  /** A row's text from its writes: kept by the screen's width and the writes, else made as Ink makes it. */
  private row(row: (string | number)[]): string {
    let key = String(this.width);
    for (let i = 0; i < row.length; i += 2) {
      const line = row[i + 1] as string;
      key += `\u0000${row[i]}\u0000${line.length}\u0000${line}`;
    }
    return rows.of(key, () => plainRow(row, this.width) ?? this.cellRow(row));
  }

  /** A row's text as Ink builds it: each line split into styled cells, placed, joined. */
  private cellRow(row: (string | number)[]): string {
    const cells: (StyledChar | undefined)[] = new Array<StyledChar>(this.width).fill(BLANK);
    for (let i = 0; i < row.length; i += 2) {
      let offsetX = row[i] as number;
      for (const character of this.caches.getStyledChars(row[i + 1] as string)) {
        cells[offsetX] = character;
        // The printed width by string-width, as Ink measures; a wide character's next cells cleared.
        const characterWidth = Math.max(1, this.caches.getStringWidth(character.value));
        for (let k = 1; k < characterWidth; k++)
          cells[offsetX + k] = { type: 'char', value: '', fullWidth: false, styles: character.styles };
        offsetX += characterWidth;
      }
    }
    // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742
    return styledCharsToString(cells.filter((item): item is StyledChar => item !== undefined)).trimEnd();
  }
}

/**
 * The row's text when every line written on it is one-cell characters alone (one-cell.ts: no escape, no wide or
 * joining character) and inside the row: a character a cell, so the lines are placed by string index, later writes
 * over earlier ones, and the blanks between are spaces. Null for any other row. What Ink's cells give for such a row,
 * without an object per character: a page of new rows was split into some 3 000 of them.
 */
function plainRow(row: (string | number)[], width: number): string | null {
  let text = '';
  for (let i = 0; i < row.length; i += 2) {
    const x = row[i] as number;
    const line = row[i + 1] as string;
    if (x < 0 || x + line.length > width || oneCellWidth(line) < 0) return null;
    if (text.length < x) text += ' '.repeat(x - text.length);
    text = text.slice(0, x) + line + text.slice(x + line.length);
  }
  return text.trimEnd();
}
