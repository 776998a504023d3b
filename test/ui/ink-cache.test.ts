// The build gives Ink's frame writer (and widest-line, cli-truncate) the modules of src/ui/ink-cache in place of
// @alcalzone/ansi-tokenize, string-width and slice-ansi: what they give back must be what the packages give, first
// time and from the cache, for any line Ink can write.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as pkg from '@alcalzone/ansi-tokenize';
import { Chalk } from 'chalk';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import sliceAnsiOnce from 'slice-ansi';
import stringWidthOnce from 'string-width';
import Output from '../../src/ui/ink-cache/output.js';
import sliceAnsi from '../../src/ui/ink-cache/slice-ansi.js';
import stringWidth from '../../src/ui/ink-cache/string-width.js';
import * as cached from '../../src/ui/ink-cache/tokenize.js';
import measureText from '../../src/ui/ink-cache/measure-text.js';
import wrapText from '../../src/ui/ink-cache/wrap-text.js';
import { isOneCell, oneCellWidth } from '../../src/ui/ink-cache/one-cell.js';

const chalk = new Chalk({ level: 1 });
/** Every UTF-16 unit the writer's one-cell path takes, outside printable ASCII (one-cell.ts). */
const ONE_CELL = Array.from({ length: 0x10000 }, (_, c) => c)
  .filter((c) => c > 0x7e && isOneCell(c))
  .map((c) => String.fromCharCode(c));
/**
 * What may stand beside a one-cell character and change how it is measured or split: marks, joiners and variation
 * selectors after it, a wide character, an emoji, a control, an escape that is not SGR, a lone surrogate.
 */
const JOINING = [
  '\u0301',
  '\u20e3',
  '\u200d',
  '\ufe0f',
  '\ufe0e',
  '\u{1f3fd}',
  '界',
  '👍',
  '🇫🇷',
  '\t',
  '\u0007',
  '\u009b1m',
  '\u001b]8;;x\u0007',
  '\ud83d',
];
/** Pieces of what Ink writes: words, wide and combining characters, emoji, and text styled as <Text> styles it. */
const piece = fc.oneof(
  fc.constantFrom('gx-00001p', ' ', '  ', '…', '↳ 17', '─', 'é', 'e\u0301', '界', '👍', '🇫🇷', '✓', '\u200b', ''),
  // The one-cell characters, alone, in runs, and beside what could join them.
  fc.constantFrom(...ONE_CELL),
  fc.array(fc.constantFrom(...ONE_CELL, 'a', ' ', '7'), { minLength: 1, maxLength: 8 }).map((cs) => cs.join('')),
  fc.tuple(fc.constantFrom(...ONE_CELL), fc.constantFrom(...JOINING)).map(([c, j]) => c + j),
  // Codes Ink's styles do not make: compound, 256 colours, cut short, not SGR.
  fc.constantFrom('\u001b[1;31m', '\u001b[38;5;12mx', '\u001b[0m', '\u001b[', '\u001b[12', '\u001b[2Kx', '\u001bx', 'a\u001b[m'),
  fc.string({ maxLength: 6 }),
  fc
    .tuple(
      fc.constantFrom('inverse', 'bold', 'dim', 'red', 'cyan', 'gray', 'magenta'),
      fc.constantFrom('builder-12', '界a', ' x ', '⚠', '… ↳ 2·3'),
    )
    .map(([style, text]) => chalk[style](text)),
);
const line = fc.array(piece, { maxLength: 12 }).map((ps) => ps.join(''));
const plainLine = fc.array(fc.constantFrom(...ONE_CELL, 'gx-1', ' ', '  '), { maxLength: 14 }).map((ps) => ps.join(''));

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
    // The build swaps Ink's text measure and wrap by the paths its modules import them with (scripts/build.mjs).
    const inkImports = (file: string) => readFileSync(join(dirname(require.resolve('ink')), file), 'utf8');
    expect(inkImports('dom.js')).toContain("import measureText from './measure-text.js';");
    expect(inkImports('dom.js')).toContain("import wrapText from './wrap-text.js';");
    expect(inkImports('render-node-to-output.js')).toContain("import wrapText from './wrap-text.js';");
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
        // Any lines, or lines of one-cell characters alone (the writer's plain rows).
        text: fc.array(fc.oneof(line, plainLine), { minLength: 1, maxLength: 4 }).map((ls) => ls.join('\n')),
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

  it('takes each one-cell character as the packages do, alone and beside anything that could join or widen it', () => {
    expect(ONE_CELL.length).toBeGreaterThan(0);
    const neighbours = ['a', ' ', '~', ...ONE_CELL, '\u001b[7m', '\u001b[1;31m', '\u001b[m', ...JOINING];
    for (const c of ONE_CELL) {
      expect(stringWidthOnce(c)).toBe(1);
      expect(pkg.tokenize(c)).toEqual([{ type: 'char', value: c, fullWidth: false }]);
      for (const n of neighbours)
        for (const l of [c + n, n + c, `${n}${c}${c}${n}`]) {
          expect(stringWidth(l)).toBe(stringWidthOnce(l));
          expect(cached.tokenize(l)).toEqual(pkg.tokenize(l));
          expect(shown(l)).toEqual(seen(l));
          for (const [from, to] of [
            [0, undefined],
            [1, undefined],
            [0, 1],
            [1, 2],
            [2, 3],
            [-1, 2],
            [3, 1],
            [0, 0],
          ] as const)
            expect(sliceAnsi(l, from, to)).toBe(sliceAnsiOnce(l, from, to));
        }
    }
  });

  it("measures, wraps and cuts text nodes as Ink's own measure-text and wrap-text do, the first time and again", async () => {
    const inkBuild = dirname(createRequire(import.meta.url).resolve('ink'));
    const inkMeasure = (await import(pathToFileURL(join(inkBuild, 'measure-text.js')).href)).default as typeof measureText;
    const inkWrap = (await import(pathToFileURL(join(inkBuild, 'wrap-text.js')).href)).default as typeof wrapText;
    const kinds = ['wrap', 'end', 'middle', 'truncate', 'truncate-end', 'truncate-middle', 'truncate-start'];
    const text = fc.array(fc.oneof(line, fc.constant('\n')), { maxLength: 4 }).map((ls) => ls.join(''));
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 40 }), fc.constantFrom(...kinds), (t, width, kind) => {
        for (let round = 0; round < 2; round++) {
          expect(measureText(t)).toEqual(inkMeasure(t));
          expect(wrapText(t, width, kind)).toBe(inkWrap(t, width, kind));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the measure of a text shown long ago no longer: memory stays bounded however many texts were shown', async () => {
    // Ink's own module kept every text it measured for as long as the process ran (a Map never emptied).
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const longAgo = new WeakRef(measureText(`a row scrolled past long ago ${Math.random()}`));
    for (let i = 0; i < 20_000; i++) measureText(`row ${i} of a long scroll`);
    // A WeakRef holds its target until the job that made it ends.
    await new Promise((r) => setImmediate(r));
    gc();
    expect(longAgo.deref()).toBeUndefined();
  });

  it("measures, cuts and draws the console's lines of one-cell characters without a grapheme segmenter", async () => {
    const require = createRequire(import.meta.url);
    const url = pathToFileURL(join(dirname(require.resolve('ink')), 'output.js')).href;
    const { default: InkOutput } = (await import(url)) as { default: typeof Output };
    // A slots view's lines as its frame writes them (names made for this test, so no cache already holds them).
    const lines = [
      '─'.repeat(60),
      '> one-cell-7/w1  asleep   gx-one-cell-7a…  3 min ago  ↳ 2 · 3',
      '  one-cell-7/w2  awake    —                ≠ 4        ← →  ×2',
      'one-cell-7: held by gx-one-cell-9 · since 12:03 — ok ✓ │ • ∞ ↑↓',
    ];
    const draw = (O: typeof Output) => {
      const out = new O({ width: 60, height: 6 });
      out.write(0, 0, lines.join('\n'), { transformers: [] });
      // A box that clips its lines (the detail pane), written over the rows below.
      out.clip({ x1: 2, x2: 40, y1: 4, y2: 6 });
      out.write(0, 4, `${lines[3]}\n${lines[1]}`, { transformers: [] });
      out.unclip();
      return out.get();
    };
    const segment = vi.spyOn(Intl.Segmenter.prototype, 'segment');
    try {
      for (const l of lines) {
        expect(stringWidth(l)).toBe(l.length);
        expect(stringWidth(chalk.inverse(l))).toBe(l.length);
        expect(sliceAnsi(l, 3, 20)).toBe(l.slice(3, 20));
      }
      const ours = draw(Output);
      expect(segment).not.toHaveBeenCalled();
      segment.mockRestore();
      expect(ours).toEqual(draw(InkOutput));
      expect(oneCellWidth(lines.join(''))).toBe(lines.join('').length);
    } finally {
      segment.mockRestore();
    }
  });
});
