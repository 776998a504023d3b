// What Ink's frame writer (ink/build/output.js, Ink 6.8; here output.ts) imports from @alcalzone/ansi-tokenize,
// faster for the lines the console writes. Ink splits each line it writes into styled characters (a grapheme
// segmenter and two objects per character); the frame writer (output.ts) now keeps each row's text from one frame to
// the next and splits only the lines of rows not drawn in the last frames, so these keep nothing themselves: a line's
// tokens and characters, kept across frames, were several kilobytes each, held long enough to be promoted. The build
// (scripts/build.mjs) hands this module to Ink in place of the package; tests and `npm run dev` run Ink unchanged,
// and test/ui/ink-cache.test.ts checks that both give the same characters and the same text.
import {
  ansiCodesToString,
  diffAnsiCodes,
  reduceAnsiCodesIncremental,
  tokenize as tokenizeOnce,
  type AnsiCode,
  type StyledChar,
  type Token,
} from '@alcalzone/ansi-tokenize';
import { isOneCell, sgrEnd } from './one-cell.js';

export * from '@alcalzone/ansi-tokenize';

export function tokenize(str: string, endChar?: number): Token[] {
  if (endChar !== undefined) return tokenizeOnce(str, endChar);
  return plainTokens(str) ?? tokenizeOnce(str);
}

/** The tokens of each SGR code a line holds (a handful of distinct ones: Ink's styles). */
const codeTokens = new Map<string, Token[]>();

/**
 * The package's tokens of a line made of one-cell characters (printable ASCII and those of one-cell.ts) and SGR
 * codes (`ESC [ digits;… m`), null for any other: one token a character, the codes' tokens the package's own. The
 * package runs a grapheme segmenter over every line, about 0.3 ms for a 120-column one, and a frame with rows not
 * drawn before (a page down, a view's first visit) paid it for each of their lines. Between two such characters, or
 * one and an escape, a grapheme always ends, and none is wide, so the tokens are the same.
 */
function plainTokens(str: string): Token[] | null {
  const out: Token[] = [];
  let i = 0;
  while (i < str.length) {
    const c = str.charCodeAt(i);
    if (isOneCell(c)) {
      out.push({ type: 'char', value: str[i], fullWidth: false });
      i++;
      continue;
    }
    const end = sgrEnd(str, i);
    if (end < 0) return null;
    const code = str.slice(i, end + 1);
    let codes = codeTokens.get(code);
    if (!codes) {
      codes = tokenizeOnce(code);
      if (codeTokens.size < 4096) codeTokens.set(code, codes);
    }
    for (const t of codes) out.push(t);
    i = end + 1;
  }
  return out;
}

/**
 * The package's styledCharsFromTokens, except that the characters of one run of styles share one array of them (the
 * package copies it per character; nothing changes it), so styledCharsToString sees that they are equal at once.
 */
export function styledCharsFromTokens(list: Token[]): StyledChar[] {
  let codes: AnsiCode[] = [];
  const chars: StyledChar[] = [];
  for (const token of list) {
    if (token.type === 'ansi') codes = reduceAnsiCodesIncremental(codes, [token]);
    else chars.push({ type: 'char', value: token.value, fullWidth: token.fullWidth, styles: codes });
  }
  return chars;
}

/**
 * The package's styledCharsToString, without working out the difference between two characters' styles when there
 * is none (the same array, or none on either: most cells of a frame are unstyled blanks).
 */
export function styledCharsToString(chars: StyledChar[]): string {
  let ret = '';
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i];
    if (i === 0) ret += ansiCodesToString(char.styles);
    else {
      const from = chars[i - 1].styles;
      const to = char.styles;
      if (from !== to && (from.length > 0 || to.length > 0)) ret += ansiCodesToString(diffAnsiCodes(from, to));
    }
    ret += char.value;
    if (i === chars.length - 1) ret += ansiCodesToString(diffAnsiCodes(char.styles, []));
  }
  return ret;
}
