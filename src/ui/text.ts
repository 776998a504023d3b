// Everything that reaches the screen from the data goes through `clean`: bead fields can hold any
// bytes (escape sequences in an alias would otherwise move the cursor or retitle the terminal).
import { hasUnsafe, quote, sanitize } from '../store/output/sanitize.js';

/**
 * Sanitized, single-line text: control characters, newlines and tabs as visible escapes (`\e`, `\n`), so that two
 * different values (an id with a line break, one with a space) never look the same.
 */
export function clean(value: unknown): string {
  if (value === undefined || value === null) return '';
  const s = typeof value === 'string' ? value : String(value);
  // Most strings hold nothing to replace: one scan says so (the table rows of 100 000 beads are cleaned this way).
  if (!hasUnsafe(s)) return s;
  return sanitize(s);
}

/** 12000 → "12 000": digit groups that stay readable in a narrow column. */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

/** A short, honest age: "now", "3 s", "4 min", "2 h", "3 d". */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 1) return 'now';
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h`;
  return `${Math.floor(h / 24)} d`;
}

export function cap(v: number | null | undefined): string {
  return v === null || v === undefined ? '∞' : String(v);
}

/** The range shown in a list title: "41–80 of 12 000", or "0 of 0". */
export function rangeLabel(top: number, visible: number, total: number): string {
  if (total === 0) return '0 of 0';
  const last = Math.min(total, top + visible);
  return `${groupDigits(top + 1)}–${groupDigits(last)} of ${groupDigits(total)}`;
}

/**
 * A value in quotes, sanitized (escapes shown once: `\e`, not `\\e`), its line breaks and tabs too (`\r\n`, not
 * a space: the value judged on a card is the one on disk); null is "(absent)".
 */
export function quoted(v: string | null | undefined): string {
  return v === null || v === undefined ? '(absent)' : quote(v);
}

/**
 * `text` cut to `width` code points in the middle, the tail kept whole where it can be: names and ids differ at
 * their end (`backend/builder-1`, `backend/builder-2`), so `backend/…der-1` tells rows apart where
 * `backend/bu…` would not.
 */
export function truncateMiddle(text: string, width: number): string {
  const cps = [...text];
  if (cps.length <= width) return text;
  if (width <= 0) return '';
  if (width === 1) return '…';
  const tail = Math.ceil((width - 1) / 2);
  const head = width - 1 - tail;
  return cps.slice(0, head).join('') + '…' + cps.slice(cps.length - tail).join('');
}

/** `text` cut to `width` code points at the end, with `…` when cut. */
export function truncateEnd(text: string, width: number): string {
  const cps = [...text];
  if (cps.length <= width) return text;
  if (width <= 0) return '';
  return cps.slice(0, width - 1).join('') + '…';
}

/**
 * `text` word-wrapped to `width` code points in at most `maxLines` lines (a word longer than a line is split;
 * the last line ends in `…` when text is left over).
 */
export function wrapText(text: string, width: number, maxLines = Infinity): string[] {
  const w = Math.max(1, width);
  const lines: string[] = [];
  let line: string[] = [];
  for (const word of text.split(/ +/).filter(Boolean)) {
    let cps = [...word];
    if (line.length > 0 && line.length + 1 + cps.length > w) {
      lines.push(line.join(''));
      line = [];
    }
    if (line.length > 0) line.push(' ');
    while (line.length + cps.length > w) {
      const take = w - line.length;
      lines.push([...line, ...cps.slice(0, take)].join(''));
      line = [];
      cps = cps.slice(take);
    }
    line.push(...cps);
  }
  if (line.length > 0) lines.push(line.join(''));
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, Math.max(0, maxLines));
  if (kept.length > 0) kept[kept.length - 1] = truncateEnd(kept[kept.length - 1] + ' ' + lines[kept.length], w);
  return kept;
}

/** The end of `text` in `width` code points (`…` first when cut): what was typed last stays visible. */
export function tailOf(text: string, width: number): string {
  const cps = [...text];
  if (cps.length <= width) return text;
  if (width <= 0) return '';
  return '…' + cps.slice(cps.length - width + 1).join('');
}
