// The build gives Ink's frame writer (and widest-line, cli-truncate) the modules of src/ui/ink-cache in place of
// @alcalzone/ansi-tokenize, string-width and slice-ansi: what they give back must be what the packages give, first
// time and from the cache, for any line Ink can write.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as pkg from '@alcalzone/ansi-tokenize';
import { Chalk } from 'chalk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import sliceAnsiOnce from 'slice-ansi';
import stringWidthOnce from 'string-width';
import sliceAnsi from '../../src/ui/ink-cache/slice-ansi.js';
import stringWidth from '../../src/ui/ink-cache/string-width.js';
import * as cached from '../../src/ui/ink-cache/tokenize.js';

const chalk = new Chalk({ level: 1 });
/** Pieces of what Ink writes: words, wide and combining characters, emoji, and text styled as <Text> styles it. */
const piece = fc.oneof(
  fc.constantFrom('gx-00001p', ' ', '  ', '…', '↳ 17', '─', 'é', 'e\u0301', '界', '👍', '🇫🇷', '✓', '\u200b', ''),
  // Codes Ink's styles do not make: compound, 256 colours, cut short, not SGR.
  fc.constantFrom('\u001b[1;31m', '\u001b[38;5;12mx', '\u001b[0m', '\u001b[', '\u001b[12', '\u001b[2Kx', '\u001bx', 'a\u001b[m'),
  fc.string({ maxLength: 6 }),
  fc
    .tuple(fc.constantFrom('inverse', 'bold', 'dim', 'red', 'cyan', 'gray', 'magenta'), fc.constantFrom('builder-12', '界a', ' x ', '⚠'))
    .map(([style, text]) => chalk[style](text)),
);
const line = fc.array(piece, { maxLength: 12 }).map((ps) => ps.join(''));

const seen = (s: string) => pkg.styledCharsFromTokens(pkg.tokenize(s));
const shown = (s: string) => cached.styledCharsFromTokens(cached.tokenize(s));

describe('the caches Ink writes frames through', () => {
  it('gives the characters, styles and text the package gives, the first time and again', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 6 }), (lines) => {
        for (let round = 0; round < 2; round++) {
          for (const l of lines) {
            expect(cached.tokenize(l)).toEqual(pkg.tokenize(l));
            expect(shown(l)).toEqual(seen(l));
          }
          // A grid row as Ink joins it: the lines side by side, with unstyled blanks between.
          const blank = { type: 'char' as const, value: ' ', fullWidth: false, styles: [] };
          const rowOf = (f: (s: string) => pkg.StyledChar[]) => lines.flatMap((l) => [...f(l), blank]);
          expect(cached.styledCharsToString(rowOf(shown))).toBe(pkg.styledCharsToString(rowOf(seen)));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('measures and cuts lines as string-width and slice-ansi do, the first time and again', () => {
    fc.assert(
      fc.property(line, fc.nat(30), (l, from) => {
        for (let round = 0; round < 2; round++) {
          expect(stringWidth(l)).toBe(stringWidthOnce(l));
          expect(stringWidth(l, { countAnsiEscapeCodes: true })).toBe(stringWidthOnce(l, { countAnsiEscapeCodes: true }));
          // One line cut several ways, as clips of different boxes cut it.
          for (const to of [undefined, from, from + 1, from + 5, 40]) expect(sliceAnsi(l, from, to)).toBe(sliceAnsiOnce(l, from, to));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('stands in for everything the pinned Ink frame writer imports from these packages', () => {
    const require = createRequire(import.meta.url);
    const output = readFileSync(join(dirname(require.resolve('ink')), 'output.js'), 'utf8');
    const imports = [...output.matchAll(/import\s+(\w+|{[^}]*})\s+from\s+'([^']+)'/g)].map((m) => [m[2], m[1].replace(/\s+/g, ' ')]);
    expect(imports).toEqual([
      ['slice-ansi', 'sliceAnsi'],
      ['string-width', 'stringWidth'],
      ['@alcalzone/ansi-tokenize', '{ styledCharsFromTokens, styledCharsToString, tokenize, }'],
    ]);
    for (const n of ['styledCharsFromTokens', 'styledCharsToString', 'tokenize'])
      expect(typeof (cached as Record<string, unknown>)[n]).toBe('function');
  });
});
