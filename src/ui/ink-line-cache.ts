// What Ink's frame writer (ink/build/output.js, Ink 6.8) imports from @alcalzone/ansi-tokenize, with the results
// kept from one frame to the next. Ink redraws the whole screen for every key and splits each line it writes into
// styled characters afresh (a grapheme segmenter and two objects per character); that was most of a key's frame,
// though almost every line is the one it wrote the frame before. The build (scripts/build.mjs) hands this module to
// Ink's output.js in place of the package; tests and `npm run dev` run Ink unchanged, and ink-line-cache.test.ts
// checks that both give the same characters and the same text.
//
// Sharing results is safe because Ink's output.js only reads them: it copies each character into its grid and joins
// the grid with styledCharsToString.
import {
  ansiCodesToString,
  diffAnsiCodes,
  reduceAnsiCodesIncremental,
  tokenize as tokenizeOnce,
  type AnsiCode,
  type StyledChar,
  type Token,
} from '@alcalzone/ansi-tokenize';

export * from '@alcalzone/ansi-tokenize';

/** Lines kept per generation: a 200×50 screen writes a few hundred distinct strings a frame. */
const GENERATION = 4096;

/**
 * Two generations: a string used in this generation or the last is found; a full generation makes the last one
 * go. Memory stays bounded whatever the screens show, and the lines of the last frames stay.
 */
class TwoGenerations<K, V> {
  private now = new Map<K, V>();
  private before = new Map<K, V>();
  get(k: K): V | undefined {
    const v = this.now.get(k);
    if (v !== undefined) return v;
    const old = this.before.get(k);
    if (old !== undefined) this.set(k, old);
    return old;
  }
  set(k: K, v: V): void {
    if (this.now.size >= GENERATION) {
      this.before = this.now;
      this.now = new Map();
    }
    this.now.set(k, v);
  }
}

const tokens = new TwoGenerations<string, Token[]>();
/** Ink calls styledCharsFromTokens(tokenize(line)): the characters are kept by the token list they came from. */
const charsOf = new WeakMap<Token[], StyledChar[]>();

export function tokenize(str: string, endChar?: number): Token[] {
  if (endChar !== undefined) return tokenizeOnce(str, endChar);
  let t = tokens.get(str);
  if (!t) {
    t = tokenizeOnce(str);
    tokens.set(str, t);
  }
  return t;
}

/**
 * The package's styledCharsFromTokens, except that the characters of one run of styles share one array of them (the
 * package copies it per character; nothing changes it), so styledCharsToString sees that they are equal at once.
 */
export function styledCharsFromTokens(list: Token[]): StyledChar[] {
  const kept = charsOf.get(list);
  if (kept) return kept;
  let codes: AnsiCode[] = [];
  const chars: StyledChar[] = [];
  for (const token of list) {
    if (token.type === 'ansi') codes = reduceAnsiCodesIncremental(codes, [token]);
    else chars.push({ ...token, styles: codes });
  }
  charsOf.set(list, chars);
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
