// The build gives Ink's frame writer (and widest-line, cli-truncate) the modules of src/ui/ink-cache in place of
// @alcalzone/ansi-tokenize, string-width and slice-ansi: what they give back must be what the packages give, first
// time and from the cache, for any line Ink can write.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as pkg from '@alcalzone/ansi-tokenize';
import { Chalk } from 'chalk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import sliceAnsiOnce from 'slice-ansi';
import stringWidthOnce from 'string-width';
import Output from '../../src/ui/ink-cache/output.js';
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

  it("draws the frame Ink's own Output draws, from the same writes and clips, the first time and again", async () => {
    const require = createRequire(import.meta.url);
    const url = pathToFileURL(join(dirname(require.resolve('ink')), 'output.js')).href;
    const { default: InkOutput } = (await import(url)) as { default: typeof Output };
    const transformers = [
      (s: string) => s,
      (s: string, i: number) => (i % 2 ? chalk.red(s) : s.toUpperCase()),
      (s: string) => chalk.inverse(s),
    ];
    const coord = fc.integer({ min: -3, max: 45 });
    const edge = fc.option(coord, { nil: undefined });
    const op = fc.oneof(
      fc.record({
        type: fc.constant('write' as const),
        x: coord,
        y: fc.integer({ min: -2, max: 10 }),
        text: fc.array(line, { minLength: 1, maxLength: 4 }).map((ls) => ls.join('\n')),
        transformers: fc.subarray(transformers),
      }),
      fc.record({ type: fc.constant('clip' as const), clip: fc.record({ x1: edge, x2: edge, y1: edge, y2: edge }) }),
      fc.constant({ type: 'unclip' as const }),
    );
    type Op =
      | { type: 'write'; x: number; y: number; text: string; transformers: ((s: string, i: number) => string)[] }
      | { type: 'clip'; clip: { x1?: number; x2?: number; y1?: number; y2?: number } }
      | { type: 'unclip' };
    const draw = (O: typeof Output, width: number, height: number, ops: Op[]) => {
      const out = new O({ width, height });
      for (const o of ops) {
        if (o.type === 'write') out.write(o.x, o.y, o.text, { transformers: o.transformers });
        else if (o.type === 'clip') out.clip({ x1: o.clip.x1, x2: o.clip.x2, y1: o.clip.y1, y2: o.clip.y2 });
        else out.unclip();
      }
      return out.get();
    };
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 8 }),
        fc.array(op, { maxLength: 10 }),
        (width, height, ops) => {
          const theirs = draw(InkOutput, width, height, ops);
          for (let round = 0; round < 2; round++) expect(draw(Output, width, height, ops)).toEqual(theirs);
        },
      ),
      { numRuns: 500 },
    );
  });
});
