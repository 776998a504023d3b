// A dialog's line and the command line's completion menu are measured in terminal cells: a reason typed in
// Japanese keeps its newest characters (and the cursor) on screen, a menu of wide names fits the width.
import { expect, test } from 'vitest';
import stringWidth from 'string-width';
import type { Repair } from '../../src/engine/types.js';
import { menuLine, promptLines, type Span } from '../../src/ui/components/status-lines.js';

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

test('the cursor of a typed line is drawn where it is, and a line too long for its room keeps it in view', () => {
  const last = (text: string, caret: number, cols: number) => promptLines('filter', text, '', cols, 1, null, caret)![0];
  // At the end: a blank after the text; inside: the character under it.
  expect(last('abc', 0, 40)).toEqual([{ text: '/', bold: true, tone: 'accent' }, { text: 'abc' }, { text: ' ', inverse: true }]);
  expect(last('abc', 2, 40).slice(1)).toEqual([{ text: 'a' }, { text: 'b', inverse: true }, { text: 'c' }]);
  // 100 characters in 21 cells, the cursor at the 51st: it shows, with what is on both sides of it.
  const text = 'a'.repeat(50) + 'X' + 'b'.repeat(49);
  const l = last(text, 50, 21);
  expect(cells(l)).toBeLessThanOrEqual(21);
  expect(l.find((s) => s.inverse)?.text).toBe('X');
  expect(l.map((s) => s.text).join('')).toMatch(/^\/…a+Xb+…$/);
  // On an accented letter written as two code points, or an emoji family: all of it is under the cursor (its joining
  // characters shown escaped, as everywhere on screen: text.ts, clean).
  expect(last('ae\u0301b', 2, 40).slice(1)).toEqual([{ text: 'a' }, { text: 'e\\u{301}', inverse: true }, { text: 'b' }]);
  const family = '\u{1f468}\u200d\u{1f469}\u200d\u{1f467}';
  expect(last(`a${family}b`, 2, 40)[2]).toEqual({ text: '\u{1f468}\\u{200d}\u{1f469}\\u{200d}\u{1f467}', inverse: true });
  // At the start of a long line: the cursor on its first character, the rest cut at the end.
  expect(last(text, 100, 21)[1]).toEqual({ text: '' });
  expect(last(text, 100, 21)[2]).toEqual({ text: 'a', inverse: true });
});

test('the count prompt on marks names them at 40 columns in three lines, and says how many more it approves', () => {
  const ids = [
    'close-duplicate:dm-baku5',
    'close-duplicate:dm-x',
    'repair-alias:dm-aa',
    'repair-alias:dm-bb',
    'restamp-slot:dm-cc',
    'restamp-slot:dm-dd',
    'release-orphaned-work:dc-w03',
    'rollback-stale-create:dc-c1a',
  ];
  const repairs = ids.map((id): Repair => {
    const [kind, beadId] = id.split(':');
    return { id, kind: kind as Repair['kind'], beadId, template: 'x', changes: [], reason: 'r' };
  });
  const lines = promptLines({ kind: 'count', repairs, text: '', marked: true }, '', '', 40, 3)!.map((l) => l.map((s) => s.text).join(''));
  expect(lines).toHaveLength(3);
  for (const l of lines) expect(stringWidth(l)).toBeLessThanOrEqual(40);
  expect(lines.join(' ')).toContain('(close-duplicate:dm-baku5,');
  expect(lines.join(' ')).toMatch(/… and \d more\):/);
  expect(lines[2]).toMatch(/^Type 8: /);
});

test('a confirmation with one line keeps what enter would do: the warning, or that it writes nothing and why', () => {
  const close: Repair = { id: 'close-duplicate:fe-dup', kind: 'close-duplicate', beadId: 'fe-dup', template: 't', changes: [], reason: '' };
  const dialog = (outdated?: 'changed' | 'gone') => ({
    kind: 'confirm' as const,
    repair: close,
    focus: 'cancel' as const,
    ...(outdated ? { outdated } : {}),
  });
  const line = (cols: number, shown: boolean, outdated?: 'changed' | 'gone', maxLines = 1) =>
    promptLines(dialog(outdated), '', '', cols, maxLines, null, 0, shown)!.map((l) =>
      l
        .map((s) => s.text)
        .join('')
        .trimEnd(),
    );
  // Its diff on screen (enter approves): the warning stays, the id cut or left out first.
  expect(line(40, true)).toEqual(['Cannot be undone: [ Cancel ]   Approve']);
  expect(line(60, true)).toEqual(['Approve clos…e-dup? Cannot be undone. [ Cancel ]   Approve']);
  expect(line(120, true)).toEqual(['Approve close-duplicate:fe-dup? It closes bead fe-dup; this cannot be undone. [ Cancel ]   Approve']);
  // Not on screen (no card fits: enter writes nothing): it says so instead, at any width.
  expect(line(40, false)).toEqual(['Not on screen, refused: [Cancel] Approve']);
  expect(line(60, false)).toEqual(['Not on screen: enter writes nothing: [ Cancel ]   Approve']);
  expect(line(120, false)).toEqual([
    'Approve close-duplicate:fe-dup? Its diff is not on screen: enter writes nothing. [ Cancel ]   Approve',
  ]);
  // Changed or taken away by a refresh: that, and that enter writes nothing.
  expect(line(40, true, 'changed')).toEqual(['CHANGED, refused: [ Cancel ]   Approve']);
  expect(line(70, false, 'gone')).toEqual(['close-dup…te:fe-dup GONE: enter writes nothing: [ Cancel ]   Approve']);
  for (const cols of [40, 50, 60, 80, 120])
    for (const l of [...line(cols, true), ...line(cols, false), ...line(cols, true, 'changed')])
      expect(stringWidth(l)).toBeLessThanOrEqual(cols);
  // Two lines at 40 columns: the warning whole above the question (it was cut: "It closes bead fe-dup; this cannot be…").
  expect(line(40, true, undefined, 2)).toEqual(['This cannot be undone.', 'Approve clo…ate:fe-dup? [Cancel] Approve']);
});

test('below 40 columns a destructive confirmation keeps both of its buttons, on one line or more, whatever it says', () => {
  const close: Repair = {
    id: 'rollback-stale-create:dc-c1a',
    kind: 'rollback-stale-create',
    beadId: 'dc-c1a',
    template: 't',
    changes: [],
    reason: '',
  };
  for (const focus of ['cancel', 'approve'] as const)
    for (const outdated of [undefined, 'changed', 'gone'] as const)
      for (const shown of [true, false])
        for (const maxLines of [1, 2, 3])
          for (let cols = 16; cols < 40; cols++) {
            const dialog = { kind: 'confirm' as const, repair: close, focus, ...(outdated ? { outdated } : {}) };
            const lines = promptLines(dialog, '', '', cols, maxLines, null, 0, shown)!.map((l) => l.map((s) => s.text).join(''));
            const last = lines.at(-1)!;
            const at = `${cols} columns, ${maxLines} line(s), ${focus} focused, ${outdated ?? 'as shown'}, ${shown ? 'on' : 'off'} screen`;
            expect(last, at).toMatch(focus === 'cancel' ? /\[ ?Cancel ?\] +Approve *$/ : /Cancel +\[ ?Approve ?\] *$/);
            for (const l of lines) expect(stringWidth(l), at).toBeLessThanOrEqual(cols);
          }
  // A word of what enter does stays beside them at 30 columns.
  const one = (shown: boolean) =>
    promptLines({ kind: 'confirm', repair: close, focus: 'cancel' }, '', '', 30, 1, null, 0, shown)![0]
      .map((s) => s.text)
      .join('');
  expect(one(true)).toBe('No undo: [Cancel] Approve');
  expect(one(false)).toBe('Refused: [Cancel] Approve');
});

test('below 16 columns a confirmation and an export choice keep every choice on screen, their labels cut, never one alone', () => {
  const close: Repair = { id: 'close-duplicate:fe-dup', kind: 'close-duplicate', beadId: 'fe-dup', template: 't', changes: [], reason: '' };
  const text = (l: Span[]) => l.map((s) => s.text).join('');
  const shapes: string[] = [];
  for (const focus of ['cancel', 'approve'] as const)
    for (const maxLines of [1, 2, 3])
      for (let cols = 2; cols < 16; cols++) {
        const at = `${cols} columns, ${maxLines} line(s), ${focus} focused`;
        const lines = promptLines({ kind: 'confirm', repair: close, focus }, '', '', cols, maxLines, null, 0, true)!;
        const last = lines.at(-1)!;
        for (const l of lines) expect(stringWidth(text(l)), at).toBeLessThanOrEqual(cols);
        // Both choices, each its initial at least, the focused one inverse (and in brackets where they fit).
        const focused = last.filter((s) => s.inverse);
        expect(focused, at).toHaveLength(1);
        expect(focused[0].text, at).toMatch(focus === 'cancel' ? /^\[?C/ : /^\[?A/);
        expect(text(last), at).toMatch(focus === 'cancel' ? /C.*A/ : /C.*\[?A/);
        if (focus === 'cancel' && maxLines === 1) shapes.push(`${cols}: ${text(last)}`);
      }
  expect(shapes).toEqual([
    '2: CA',
    '3: CA',
    '4: [C]A',
    '5: [C] A',
    '6: [C] A…',
    '7: [C…] A…',
    '8: [C…] Ap…',
    '9: [Ca…] Ap…',
    '10: [Ca…] App…',
    '11: [Can…] App…',
    '12: [Can…] Appr…',
    '13: [Canc…] Appr…',
    '14: [Canc…] Appro…',
    '15: [Cancel] Appro…',
  ]);
  // The export choice the same: md, json and csv each stay.
  const choice = (cols: number) =>
    text(promptLines({ kind: 'export', what: 'snapshot', options: ['md', 'json', 'csv'], focus: 1 }, '', '', cols, 1)!.at(-1)!);
  expect(choice(13)).toBe('md [json] csv');
  expect(choice(9)).toBe('m [j…] c…');
  expect(choice(7)).toBe('m [j] c');
  expect(choice(3)).toBe('mjc');
});
