// Wide characters in the data (CJK names, emoji) take two terminal cells each: every view cuts them by the
// cells they take, so no line is wider than the terminal (a wider line wraps and the frame grows taller than
// the screen) at any size.
import fc from 'fast-check';
import { afterEach, describe, expect, test } from 'vitest';
import { viewModel } from '../../src/ui/views/registry.js';
import stringWidth from 'string-width';
import { localServices } from '../../src/console/services.js';
import { cellsIn, clean, graphemes, quoted, tailOf, truncateEnd, truncateMiddle, wrapText } from '../../src/ui/text.js';
import { demoState, storeWith } from './fixture.js';
import { expectFits, KEYS, renderApp, SIZES, type Harness } from './render.js';
import { openRepairs, pickRepair } from './review-harness.js';

let h: Harness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

const WIDE = '日本語の名前🚀🚀が長いエイリアス日本語日本語';

function wideState() {
  const s = demoState();
  for (const b of s.beads)
    if (b.issue_type === 'session' && b.metadata) {
      b.metadata.alias = `${WIDE}-${b.id}`;
      b.metadata.session_name = `${WIDE}${WIDE}`;
    }
  return s;
}

describe('wide characters', () => {
  for (const [columns, rows] of SIZES)
    test(`at ${columns}×${rows}: every view and the card fit in cells`, async () => {
      h = renderApp(storeWith(wideState(), { rows, columns }));
      const views = { '1': 'TEMPLATE', '2': 'AGENT_NAME', '3': 'HOLDER', '4': 'CAPS', '5': 'ASSIGNEE', '6': 'REASON', '8': 'SEVERITY' };
      for (const [key, head] of Object.entries(views)) {
        await h.press(key);
        const f = await h.waitForFrame((x) => x.includes(head), `view ${key}`);
        expectFits(f, columns, rows, `view ${key}`);
      }
      // Ink cuts the card's lines itself, so this frame fits either way; the card's own measure is checked by
      // the approval test below (a diff of wide characters never counted as shown).
      await h.press('6', KEYS.enter);
      const card = await h.waitForFrame((x) => x.includes('Card') || x.includes('Repair card'), 'the full card');
      expectFits(card, columns, rows, 'the full card');
    });

  test('the cuts count cells: a wide character is two, and a cut never splits one', () => {
    expect(cellsIn('ab日本🚀')).toBe(8);
    for (const w of [1, 2, 3, 4, 5, 6, 7]) {
      expect(cellsIn(truncateEnd(WIDE, w)), `end ${w}`).toBeLessThanOrEqual(w);
      expect(cellsIn(truncateMiddle(WIDE, w)), `middle ${w}`).toBeLessThanOrEqual(w);
      expect(cellsIn(tailOf(WIDE, w)), `tail ${w}`).toBeLessThanOrEqual(w);
    }
    expect(truncateEnd('日本語', 4)).toBe('日…');
    expect(tailOf('日本語', 5)).toBe('…本語');
    for (const line of wrapText(`${WIDE} ${WIDE}`, 9)) expect(cellsIn(line)).toBeLessThanOrEqual(9);
    expect(truncateEnd('plain ascii', 8)).toBe('plain a…');
  });
});

test('a repair whose diff holds 60 wide characters is folded on the full card, counts as shown, and can be approved', async () => {
  const s = demoState();
  s.beads.find((x) => x.id === 'be-evil')!.metadata!.alias = '日'.repeat(60);
  const { h: app, disk } = await openRepairs(s);
  h = app;
  try {
    await pickRepair(app, 'repair-alias be-evil');
    await app.press(KEYS.enter);
    const card = await app.waitForFrame((x) => x.includes('Repair card'), 'the full card');
    expectFits(card, 140, 40, 'the full card');
    await app.press('a');
    await app.waitForFrame((x) => (x.split('\n').at(-2) ?? '').includes('applied repair-alias:be-evil'), 'applied');
  } finally {
    await disk.close();
  }
});

describe('a detail line cut inside wide text', () => {
  // Agents named in CJK: a slot's detail line names them; at each parity of the cut, a cut line ends in `…`.
  function cjkState() {
    const s = demoState();
    for (const b of s.beads) if (b.issue_type === 'session' && b.metadata) b.metadata.alias = `myproject/工作者工作者工作者工作者-${b.id}`;
    return s;
  }

  for (const columns of [86, 87, 88, 89])
    test(`at ${columns} columns: a cut line ends in … and fits`, async () => {
      const app = (h = renderApp(storeWith(cjkState(), { columns, rows: 50 })));
      await app.press('2');
      const f = await app.waitForFrame((x) => x.includes('AGENT_NAME') && x.includes('myproject/'), 'the slots view');
      const vm = viewModel(app.store.getState(), 'slots')!;
      const detail = vm.view.detail(vm.derived, vm.rows[vm.index].key, vm.pool, vm.input).map(clean);
      const rows = f.split('\n');
      const rule = rows.findIndex((l) => l === '─'.repeat(columns));
      const cut = detail.map((l, i) => [l, rows[rule + 1 + i] ?? ''] as const).filter(([l]) => cellsIn(l) > columns);
      expect(
        cut.some(([l, shown]) => l.includes('工作者') && shown !== ''),
        `a detail line of wide text wider than the terminal, shown\n${f}`,
      ).toBe(true);
      for (const [, shown] of cut) {
        expect(shown.trimEnd().endsWith('…'), `cut without …: ${shown}`).toBe(true);
        expect(cellsIn(shown)).toBeLessThanOrEqual(columns);
      }
    });

  test('truncateEnd, truncateMiddle and tailOf: any mix of ASCII and wide characters, any width: within it, … when cut', () => {
    const char = fc.oneof(fc.constantFrom('a', 'Z', '-', ' ', '/'), fc.constantFrom('工', '作', '者', '日', '本', '語', '🚀'));
    fc.assert(
      fc.property(fc.array(char, { maxLength: 40 }), fc.integer({ min: 1, max: 50 }), (chars, width) => {
        const text = chars.join('');
        for (const cutOf of [truncateEnd, truncateMiddle, tailOf]) {
          const out = cutOf(text, width);
          expect(cellsIn(out)).toBeLessThanOrEqual(width);
          if (cellsIn(text) <= width) expect(out).toBe(text);
          else expect(out).toContain('…');
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('characters that join: ZWJ sequences, combining marks, skin tones', () => {
  const FAMILY = '👨\u200d👩\u200d👧';
  const CODER = '👩\u200d💻';
  const THUMB = '👍🏽';
  const DECOMPOSED = 'e\u0301';
  /** A grapheme a terminal may draw wider than string-width (and Ink) counts it: one holding a joiner, a mark, a tone. */
  const joins = (g: string) => /\u200d|[\u{1f3fb}-\u{1f3ff}]|(?![\ufe00-\ufe0f])[\p{Mn}\p{Me}]/u.test(g);

  test('the screen shows them escaped, so no character is drawn joined; ordinary text is shown as it is', () => {
    expect(clean(`${CODER} ${FAMILY}`)).toBe('👩\\u{200d}💻 👨\\u{200d}👩\\u{200d}👧');
    expect(clean(`caf${DECOMPOSED}`)).toBe('cafe\\u{301}');
    expect(clean(THUMB)).toBe('👍\\u{1f3fd}');
    expect(clean('1\ufe0f\u20e3')).toBe('1\ufe0f\\u{20e3}');
    // CJK, single emoji, accents written whole, an emoji with its presentation selector, a flag: as they are.
    for (const plain of ['工作者', '日本語🚀', 'café', 'Ærøskøbing', '❤\ufe0f', '🇫🇷', 'plain ascii']) expect(clean(plain)).toBe(plain);
    // A value in quotes goes the same way, its own backslashes escaped: a joiner and the text `\u{200d}` differ.
    expect(quoted(CODER)).toBe('"👩\\u{200d}💻"');
    expect(quoted('👩\\u{200d}💻')).toBe('"👩\\\\u{200d}💻"');
  });

  test('what is drawn is never wider than measured: no joined cluster is left, and cellsIn counts at least string-width', () => {
    const piece = fc.constantFrom(
      FAMILY,
      CODER,
      THUMB,
      DECOMPOSED,
      '👩🏽\u200d💻',
      'a\u0301\u0302',
      '\u0301',
      'ש\u05b8',
      '工',
      '🚀',
      'x',
      ' ',
      '❤\ufe0f',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 20 }), (pieces) => {
        const shown = clean(pieces.join(''));
        expect(graphemes(shown).filter(joins)).toEqual([]);
        expect(cellsIn(shown)).toBeGreaterThanOrEqual(stringWidth(shown));
      }),
      { numRuns: 300 },
    );
  });

  test("a repair's diff of such values on the card and in A's pane: escaped, every line within the terminal; y stays JSON; c copies the id itself", async () => {
    const s = demoState();
    const value = `${FAMILY.repeat(6)}${THUMB.repeat(4)}-${DECOMPOSED.repeat(5)}`;
    s.beads.find((x) => x.id === 'be-evil')!.metadata!.alias = value;
    const copied: string[] = [];
    const { h: app, disk } = await openRepairs(s, { columns: 80, rows: 24 });
    h = app;
    try {
      await pickRepair(app, 'repair-alias be-evil');
      let f = await app.waitForFrame((x) => x.includes('~ metadata.alias:'), 'the card');
      expectFits(f, 80, 24, 'the card');
      expect(f).toContain('👨\\u{200d}👩\\u{200d}👧👨');
      expect(graphemes(f).filter(joins)).toEqual([]);
      await app.press('A');
      f = await app.waitForFrame((x) => x.includes('Approve all:') && x.includes('repair-alias:be-evil'), "A's pane");
      expectFits(f, 80, 24, "A's pane");
      expect(graphemes(f).filter(joins)).toEqual([]);
      await app.press(KEYS.esc);
      await app.waitForFrame((x) => !x.includes('Approve all:'), 'the queue');
      // y: the bead's JSON, the joining characters as JSON escapes: it parses to the value on disk.
      await app.press('y');
      f = await app.waitForFrame((x) => x.includes('bead be-evil') && x.includes('"alias"'), 'the raw bead');
      expect(graphemes(f).filter(joins)).toEqual([]);
      const pane = app.store.getState().ui.inspect!;
      expect(pane.lines.join('\n')).toContain('👨\\u200d👩\\u200d👧👨');
      expect((JSON.parse(pane.lines.join('\n')) as { metadata: { alias: string } }).metadata.alias).toBe(value);
      await app.press(KEYS.esc);
      await app.waitForFrame((x) => !x.includes('bead be-evil'), 'the pane closed');
    } finally {
      await disk.close();
    }
    // c puts the id itself on the clipboard (nothing on screen there), its joiner included.
    const st = demoState();
    const id = `gc-${CODER}`;
    st.beads.find((x) => x.id === 'fe-ok')!.id = id;
    h.unmount();
    h = renderApp(storeWith(st, { rows: 24, columns: 80 }), { services: localServices({ copy: (t) => copied.push(t) }) });
    await h.press(':', ...'slots frontend/worker', KEYS.enter);
    await h.waitForFrame((x) => x.includes('pool frontend/worker'), 'the pool');
    await h.press('/', 'gc-', KEYS.enter);
    await h.waitForFrame((x) => (x.split('\n').find((l) => l.startsWith('>')) ?? '').includes('gc-👩\\u{200d}'), 'the row');
    await h.press('c');
    const f = await h.waitForFrame(() => copied.length === 1, 'copied');
    expect(copied).toEqual([id]);
    expect(f).toContain('copied gc-👩\\u{200d}💻');
  });
});
