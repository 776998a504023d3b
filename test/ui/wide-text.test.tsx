// Wide characters in the data (CJK names, emoji) take two terminal cells each: every view cuts them by the
// cells they take, so no line is wider than the terminal (a wider line wraps and the frame grows taller than
// the screen) at any size.
import fc from 'fast-check';
import { afterEach, describe, expect, test } from 'vitest';
import { viewModel } from '../../src/ui/views/registry.js';
import { cellsIn, clean, tailOf, truncateEnd, truncateMiddle, wrapText } from '../../src/ui/text.js';
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
