// The characters outside ASCII that the console itself draws in its rows, rules and bars, each one terminal cell
// wide by string-width's measure and the tokenizer's, and none of which joins the character before or after it into
// one grapheme (no mark, joiner, variation selector, regional indicator or Hangul jamo among them). A line made of
// printable ASCII and these is measured, split and drawn a cell per character: Table.tsx lays out its rows by it,
// and Ink's writer (string-width.ts, slice-ansi.ts, tokenize.ts, output.ts) skips the packages' grapheme segmenter
// for it, a few microseconds a character on every new line. test/ui/ink-cache.test.ts checks every one of them
// against the packages.
const ONE_CELL = new Set<number>(Array.from('–—←→·×≠↳…↑↓✓─│•∞', (c) => c.charCodeAt(0)));

/** Whether the UTF-16 unit `c` is a printable ASCII character or one of ONE_CELL. */
export function isOneCell(c: number): boolean {
  return (c >= 0x20 && c <= 0x7e) || (c > 0x7f && ONE_CELL.has(c));
}

/** The cells `s` takes when each of its characters is one (isOneCell), else -1. */
export function oneCellWidth(s: string): number {
  for (let i = 0; i < s.length; i++) if (!isOneCell(s.charCodeAt(i))) return -1;
  return s.length;
}

/**
 * Where the SGR code (`ESC [ digits;… m`, the codes of Ink's styles) that starts at `i` of `s` ends (the index of its
 * `m`), or -1 when none starts there.
 */
export function sgrEnd(s: string, i: number): number {
  if (s.charCodeAt(i) !== 0x1b || s.charCodeAt(i + 1) !== 0x5b) return -1;
  let end = i + 2;
  for (let d = s.charCodeAt(end); (d >= 0x30 && d <= 0x39) || d === 0x3b; d = s.charCodeAt(++end));
  return s.charCodeAt(end) === 0x6d ? end : -1;
}
