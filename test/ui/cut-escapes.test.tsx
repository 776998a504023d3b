// A cell cut to its column (a name in the middle, prose at its end, typed text at its start) falls between the
// visible escapes clean() writes, never inside one: `\u{1f3fd}` is the operator's only way to see which invisible
// character the data holds, and `\u{1…` or `…1f3fd}` names none. An escape that does not fit is left out whole.
import fc from 'fast-check';
import { afterEach, describe, expect, test } from 'vitest';
import { cellsIn, clean, tailOf, truncateEnd, truncateMiddle } from '../../src/ui/text.js';
import { demoState, storeWith } from './fixture.js';
import { expectFits, KEYS, renderApp, type Harness } from './render.js';

let h: Harness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

/**
 * Characters the data may hold, each shown as one piece: itself, or the escape clean() writes for it (ESC `\e`, BEL
 * `\x07`, a newline, DEL, a C1, the bidi override `\u{202e}`, a BOM, a joiner, a skin tone, a combining accent), and
 * the JSON escape `y`'s lines hold.
 */
const CHARS = ['a', 'Z', '-', '/', ' ', '工', '🚀', '👍', '\u001b', '\u0007', '\n', '\t', '\u007f', '\u0085', '\u202e', '\ufeff'];
const JOINING = ['\u200d', '\u{1f3fd}', '\u0301'];

const joined = (pieces: readonly string[], from: number, to: number) => pieces.slice(from, to).join('');

describe('a cut falls between escapes', () => {
  test('truncateEnd, tailOf and truncateMiddle at every width: whole escapes only, as much as fits, within the width', () => {
    const piece = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...CHARS, ...JOINING).map(clean) },
      { weight: 1, arbitrary: fc.constant('\\u001b') },
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
        const text = pieces.join('');
        const n = pieces.length;
        for (let width = 1; width <= cellsIn(text) + 1; width++) {
          const end = truncateEnd(text, width);
          const tail = tailOf(text, width);
          const middle = truncateMiddle(text, width);
          for (const out of [end, tail, middle]) expect(cellsIn(out), `${out} in ${width}`).toBeLessThanOrEqual(width);
          if (cellsIn(text) <= width) {
            expect([end, tail, middle]).toEqual([text, text, text]);
            continue;
          }
          // The longest run of whole pieces that fits beside the `…`, from the start and from the end.
          let k = 0;
          while (k < n && cellsIn(joined(pieces, 0, k + 1)) <= width - 1) k++;
          expect(end, `end at ${width}`).toBe(`${joined(pieces, 0, k)}…`);
          let j = n;
          while (j > 0 && cellsIn(joined(pieces, j - 1, n)) <= width - 1) j--;
          expect(tail, `tail at ${width}`).toBe(`…${joined(pieces, j, n)}`);
          // The middle cut: a start and an end of whole pieces either side of the `…`.
          const whole = [...Array(n + 1).keys()].some(
            (a) =>
              middle.startsWith(`${joined(pieces, 0, a)}…`) &&
              [...Array(n + 1).keys()].some((b) => b >= a && middle === `${joined(pieces, 0, a)}…${joined(pieces, b, n)}`),
          );
          expect(whole, `middle at ${width}: ${middle}`).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('an escape wider than the room is dropped whole; the text around it is kept', () => {
    const alias = clean('👍\u{1f3fd}x');
    expect(alias).toBe('👍\\u{1f3fd}x');
    expect(truncateMiddle(alias, 8)).toBe('👍…x');
    expect(truncateEnd(clean('value \u202e reversed'), 12)).toBe('value …');
    expect(truncateEnd(clean('value \u202e reversed'), 16)).toBe('value \\u{202e} …');
    expect(tailOf(clean('a\u001bred'), 5)).toBe('…red');
    expect(tailOf(clean('a\u001bred'), 6)).toBe('a\\ered');
  });
});

test('at 80×24 the slots view cuts a long alias beside its escape, not through it', async () => {
  const s = demoState();
  // A holder's alias ends in a skin-toned thumb, which clean() shows as 👍 and `\u{1f3fd}`: too long for ALIAS.
  s.beads.find((b) => b.id === 'fe-ok')!.metadata!.alias = 'frontend/furiosa-👍\u{1f3fd}x';
  const app = (h = renderApp(storeWith(s, { columns: 80, rows: 24 })));
  await app.press(':', ...'slots frontend/worker', KEYS.enter);
  const f = await app.waitForFrame((x) => x.includes('pool frontend/worker') && x.includes('fe-ok'), 'the slots of frontend/worker');
  expectFits(f, 80, 24);
  const row = f.split('\n').find((l) => l.includes(' fe-ok '))!;
  expect(row, f).toMatch(/ fe-ok +frontend\/fur…x +fronte…furiosa /);
  expect(f).not.toMatch(/1f3fd\}|\\u\{1?…/);
});
