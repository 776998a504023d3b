// A table row is one text line with its columns placed by spaces, unless a cell holds a character whose width only
// Ink knows (then a Box per cell): both must put every column at the same place, cut the same way, in the width.
import { Box } from 'ink';
import { render } from 'ink-testing-library';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { contentWidths } from '../../src/ui/components/fit-columns.js';
import { Table } from '../../src/ui/components/Table.js';
import { makeRow, type Column } from '../../src/ui/rows/types.js';
import { makeTheme } from '../../src/ui/theme.js';
import { resizeTerminal } from './render.js';

const columns: Column[] = [
  { title: 'NAME', cut: 'middle', min: 8 },
  { title: 'N', align: 'right', width: 6 },
  { title: 'STATE', width: 9 },
  { title: 'WHY', flex: 2 },
];
const rows = [
  makeRow('ascii', ['backend/builder-12', '7', 'active', 'agrees with its alias'], []),
  makeRow('marks', ['↳ backend/builder-12', '12 000', 'drained', 'dup of gx-1 (it is older…) → keep · ×2'], []),
  makeRow('wide', ['界面/builder-12', '3', 'asleep', 'a reason long enough to be cut at the end of its column, surely'], []),
  makeRow('emoji', ['ops/👍-builder', '45', 'awake', 'ok'], []),
  makeRow('cut', [`backend/${'a'.repeat(90)}/builder-123`, '1', 'suspended', 'x'.repeat(200)], []),
];

/** The visual column where `part` ends in `line`. */
const endOf = (line: string, part: string) => stringWidth(line.slice(0, line.indexOf(part) + part.length));
/** The visual column where `part` starts in `line`. */
const startOf = (line: string, part: string) => stringWidth(line.slice(0, line.indexOf(part)));

describe('table rows', () => {
  for (const width of [60, 80, 120]) {
    it(`at ${width} columns, rows drawn as one line and as a Box per cell line up and fit`, () => {
      const table = (
        <Box width={width} flexDirection="column">
          <Table
            columns={columns}
            content={contentWidths(columns, rows)}
            rows={rows}
            top={0}
            total={rows.length}
            height={rows.length}
            width={width}
            cursor={1}
            changed={new Set()}
            theme={makeTheme(false)}
            empty="none"
          />
        </Box>
      );
      const r = render(table);
      // As the console's: a terminal as wide as the table.
      resizeTerminal(r.stdout, rows.length + 2, width);
      r.rerender(table);
      const lines = (r.lastFrame() ?? '').split('\n');
      r.unmount();
      const [title, ascii, marks, wide, emoji, cut] = lines;
      for (const l of lines) expect(stringWidth(l), l).toBeLessThanOrEqual(width);
      // The right-aligned count ends under its title, whichever way the row was drawn.
      const n = endOf(title, ' N ') - 1;
      const counts = [endOf(ascii, ' 7 '), endOf(marks, ' 12 000 '), endOf(wide, ' 3 '), endOf(emoji, ' 45 '), endOf(cut, ' 1 ')];
      expect(counts.map((c) => c - 1)).toEqual([n, n, n, n, n]);
      // The next columns start under their titles.
      const state = startOf(title, 'STATE');
      expect([startOf(ascii, 'active'), startOf(marks, 'drained'), startOf(wide, 'asleep'), startOf(emoji, 'awake')]).toEqual([
        state,
        state,
        state,
        state,
      ]);
      const why = startOf(title, 'WHY');
      expect([startOf(ascii, 'agr'), startOf(marks, 'dup'), startOf(wide, 'a r')]).toEqual([why, why, why]);
      // The selected row is marked; a long name is cut in the middle and a long reason at the end.
      expect(marks.startsWith('> ')).toBe(true);
      expect(cut).toMatch(/backend\/.*….*-123 /);
      expect(cut.trimEnd().endsWith('x…')).toBe(true);
      expect(wide.trimEnd().endsWith('…')).toBe(true);
    });
  }
});
