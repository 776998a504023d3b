// A dialog's line and the command line's completion menu are measured in terminal cells: a reason typed in
// Japanese keeps its newest characters (and the cursor) on screen, a menu of wide names fits the width.
import { expect, test } from 'vitest';
import stringWidth from 'string-width';
import type { Repair } from '../../src/engine/types.js';
import { menuLine, promptLines } from '../../src/ui/components/status-lines.js';

const cells = (l: { text: string }[]) => stringWidth(l.map((s) => s.text).join(''));
const repair: Repair = { id: 'repair-alias:be-evil', kind: 'repair-alias', beadId: 'be-evil', template: 't', changes: [], reason: '' };

test('a reason typed in wide characters fits 100 cells, its newest characters shown', () => {
  const text = '意図的に残す理由は後で説明します。確認済み。最後';
  const lines = promptLines({ kind: 'reason', repair, text }, '', '', 100, 3)!;
  for (const l of lines) expect(cells(l)).toBeLessThanOrEqual(100);
  expect(
    lines
      .at(-1)!
      .map((s) => s.text)
      .join(''),
  ).toContain('最後');
});

test('a completion menu of wide names fits 30 cells', () => {
  expect(
    cells(menuLine({ items: ['プール一', 'プール二', 'プール三', 'プール四'], at: 0, line: '', head: 'slots ' }, 30)),
  ).toBeLessThanOrEqual(30);
});
