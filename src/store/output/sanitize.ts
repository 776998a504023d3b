// Bead metadata is written by agents and people we do not control; printed raw, an escape sequence in it
// could clear the operator's screen, retitle the terminal or hide text. Every data string shown to a
// person goes through sanitize(): control characters become visible, inert escapes.
import { CONTROL_CLASS_ABOVE_C0 } from '../formats/json-text.js';

/**
 * C0 (incl. ESC, newline, tab), DEL, C1, the line and paragraph separators (a line break to some terminals and
 * viewers, where one line was meant), and every format character (Unicode's Cf) but two: the bidi marks, overrides
 * and isolates that can reorder what is shown (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069), the invisible
 * ones that would make two different values look the same (soft hyphen U+00AD, U+180E, zero-width space U+200B, word
 * joiner and invisible operators U+2060-U+2064, the deprecated shaping controls U+206A-U+206F, the interlinear
 * annotation marks U+FFF9-U+FFFB, and U+FEFF, the byte order mark Gas City keeps at the start of a namepool's first
 * name), the prepended number marks (U+0600-U+0605, U+06DD, U+070F, U+0890, U+0891, U+08E2, U+110BD, U+110CD) and
 * the format controls of Egyptian hieroglyphs, shorthand and musical notation; and the tag characters
 * (U+E0001, U+E0020-U+E007F), invisible letters that can carry hidden text. Not the zero-width joiner and non-joiner
 * U+200C/U+200D, which emoji sequences and scripts need to read right (the console draws them as escapes too, see
 * ui/text.ts). As the inside of a regex character class for a regex with the `u` flag (the astral ones are code
 * points), for the outputs that treat them (markdown, csv, shell words) besides sanitize.
 */
export const CONTROL_CLASS = `\\u0000-\\u001f${CONTROL_CLASS_ABOVE_C0}`;

const UNSAFE = new RegExp(`[${CONTROL_CLASS}]`, 'gu');

/** The same set, for a test without replacing (no `g`: a global regex keeps state between tests). */
const UNSAFE_ANY = new RegExp(UNSAFE.source, 'u');

/** Whether `s` holds any character sanitize() would replace. */
export function hasUnsafe(s: string): boolean {
  return UNSAFE_ANY.test(s);
}

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

function escapeChar(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.codePointAt(0)!;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/** The string with every terminal control character replaced by a visible escape (`\e[2J`, `\x07`, `\u{202e}`). */
export function sanitize(s: string): string {
  return s.replace(UNSAFE, escapeChar);
}

/**
 * `s` in double quotes, its controls as escapes shown once (`\e`, not `\\e`), and its own backslashes and quotes
 * escaped, so that two different values never look the same (a newline `\n`, a backslash and an n `\\n`).
 */
export function quote(s: string): string {
  return `"${sanitize(s.replace(/[\\"]/g, (c) => `\\${c}`))}"`;
}
