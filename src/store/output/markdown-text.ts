// Data as markdown text, for the md report (export.ts) and its Trend section (trend-report.ts): every value or
// message a report shows renders as the text it is, never as HTML or markdown syntax.
import { CONTROL_CLASS, sanitize } from './sanitize.js';

/** `&`, `<`, `>` as entities: data never becomes HTML in a rendered report (`<script>`, `<img onerror>`). */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The ASCII punctuation that is markdown syntax inside a line: a backslash (it escapes what follows it, `\|` included,
 * so a value's own `\|` would end up a bare `|`), a table's `|`, code spans, emphasis, strikethrough (GFM), links, and a
 * heading's closing `#`s.
 */
const MARKDOWN_PUNCTUATION = /[\\|`*_[\]~#]/g;

/** What cell() may change; text without any of it is used as it is. */
const CELL_SPECIAL = new RegExp(`[&<>|\`\\\\*_[\\]~#${CONTROL_CLASS}]`, 'u');

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** `_` between two letters or digits is no emphasis in CommonMark (`pool_slot`), so it is left as it is. */
function escapePunctuation(c: string, at: number, t: string): string {
  return c === '_' && WORD_CHAR.test(t.charAt(at - 1)) && WORD_CHAR.test(t.charAt(at + 1)) ? c : `\\${c}`;
}

/**
 * Data as markdown text (in a table cell or a line), rendered as the value it is in CommonMark and GFM tables:
 * controls made visible, HTML escaped as entities, and markdown's punctuation backslash-escaped (the visible
 * escapes' own backslashes too, so `\e` shows as `\e`).
 */
export function cell(s: string): string {
  if (!CELL_SPECIAL.test(s)) return s;
  return escapeHtml(sanitize(s)).replace(MARKDOWN_PUNCTUATION, escapePunctuation);
}
