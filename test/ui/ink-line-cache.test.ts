// The build gives Ink's frame writer src/ui/ink-line-cache.ts in place of @alcalzone/ansi-tokenize: what it gives
// back must be what the package gives, first time and from the cache, for any line Ink can write.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as pkg from '@alcalzone/ansi-tokenize';
import { Chalk } from 'chalk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as cached from '../../src/ui/ink-line-cache.js';

const chalk = new Chalk({ level: 1 });
/** Pieces of what Ink writes: words, wide and combining characters, emoji, and text styled as <Text> styles it. */
const piece = fc.oneof(
  fc.constantFrom('gx-00001p', ' ', '  ', '…', '↳ 17', '─', 'é', 'e\u0301', '界', '👍', '🇫🇷', '✓', '\u200b', ''),
  fc.string({ maxLength: 6 }),
  fc
    .tuple(fc.constantFrom('inverse', 'bold', 'dim', 'red', 'cyan', 'gray', 'magenta'), fc.constantFrom('builder-12', '界a', ' x ', '⚠'))
    .map(([style, text]) => chalk[style](text)),
);
const line = fc.array(piece, { maxLength: 12 }).map((ps) => ps.join(''));

const seen = (s: string) => pkg.styledCharsFromTokens(pkg.tokenize(s));
const shown = (s: string) => cached.styledCharsFromTokens(cached.tokenize(s));

describe('the line cache Ink writes frames through', () => {
  it('gives the characters, styles and text the package gives, the first time and again', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 6 }), (lines) => {
        for (let round = 0; round < 2; round++) {
          for (const l of lines) expect(shown(l)).toEqual(seen(l));
          // A grid row as Ink joins it: the lines side by side, with unstyled blanks between.
          const blank = { type: 'char' as const, value: ' ', fullWidth: false, styles: [] };
          const rowOf = (f: (s: string) => pkg.StyledChar[]) => lines.flatMap((l) => [...f(l), blank]);
          expect(cached.styledCharsToString(rowOf(shown))).toBe(pkg.styledCharsToString(rowOf(seen)));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('stands in for every function the pinned Ink frame writer imports', () => {
    const require = createRequire(import.meta.url);
    const output = readFileSync(join(dirname(require.resolve('ink')), 'output.js'), 'utf8');
    const names = /import\s*{([^}]*)}\s*from\s*'@alcalzone\/ansi-tokenize'/
      .exec(output)?.[1]
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean);
    expect(names?.sort()).toEqual(['styledCharsFromTokens', 'styledCharsToString', 'tokenize']);
    for (const n of names ?? []) expect(typeof (cached as Record<string, unknown>)[n]).toBe('function');
  });
});
