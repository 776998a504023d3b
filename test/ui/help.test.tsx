// The `?` help at the four sizes (issue 11): a text too long for the line wraps under its keys instead of
// ending in `…`, so read page by page it holds every binding's text in full, and every page fits.
import { afterEach, describe, expect, test } from 'vitest';
import { HELP_KEYS_WIDTH } from '../../src/ui/components/help-lines.js';
import { BINDINGS, helpOf } from '../../src/ui/keymap.js';
import { demoState, storeWith } from './fixture.js';
import { expectFits, KEYS, renderApp, SIZES, waitForView, type Harness } from './render.js';

let h: Harness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

const range = (f: string) => /Keys \((\d+)–(\d+) of (\d+)\)/.exec(f)?.slice(1).map(Number) ?? [];
const words = (t: string) => t.replace(/\s+/g, ' ').trim();

/** The console at `columns`×`rows` with its help open on the first page. */
async function helpAt(columns: number, rows: number): Promise<Harness> {
  const app = (h = renderApp(storeWith(demoState(), { columns, rows })));
  await app.waitForFrame((f) => f.includes('? help'), 'the console');
  await app.press('?');
  await app.waitForFrame((x) => range(x)[0] === 1, 'the first page');
  return app;
}

describe('help', () => {
  for (const [columns, rows] of SIZES)
    test(`at ${columns}×${rows}: every page fits, no line is cut, and the pages hold every binding's text`, async () => {
      const app = (h = renderApp(storeWith(demoState(), { columns, rows })));
      await app.waitForFrame((f) => f.includes('HEALTH'), 'the console');
      await app.press('?');
      // Each help line by its place in the whole list, a page at a time.
      const byLine = new Map<number, string>();
      let f = await app.waitForFrame((x) => range(x)[0] === 1, 'the first page');
      for (;;) {
        expectFits(f, columns, rows, 'a help page');
        const [first, last, total] = range(f);
        const lines = f.split('\n');
        const at = lines.findIndex((l) => l.includes('Keys ('));
        const body = lines.slice(at + 1, at + 1 + (last - first + 1));
        body.forEach((l, i) => {
          expect(l.trimEnd().endsWith('…'), `a cut line at ${columns}×${rows}: ${l}`).toBe(false);
          byLine.set(first + i, l);
        });
        // A page starts with a key or a title, or goes on with a key's wrapped text beside its keys again.
        expect(body[0].slice(0, HELP_KEYS_WIDTH).trim(), `a page starting mid-key at ${columns}×${rows}: ${body[0]}`).not.toBe('');
        if (last === total) break;
        // A section title (not indented) never ends a page: its first key would be on the next one.
        expect(body.at(-1)!.startsWith('  '), `a title alone at the foot of a page at ${columns}×${rows}: ${body.at(-1)}`).toBe(true);
        await app.press(KEYS.pgdn);
        f = await app.waitForFrame((x) => range(x)[0] > first, 'the next page');
      }
      const all = [...byLine.entries()]
        .sort(([a], [b]) => a - b)
        .map(([, l]) => (l.startsWith('  ') ? l.slice(HELP_KEYS_WIDTH) : l))
        .join(' ');
      for (const b of BINDINGS) expect(words(all), `${b.action} in full`).toContain(words(helpOf(b.help)));
    });

  // Under 40 columns a text goes under its keys: one key takes 2 to 4 lines. Its text goes on over the next page, whose
  // first line names its keys again, so pages are full: only a heading (a section title, or keys with none of their
  // text under them) goes to the next page with what it heads, and leaves its line blank.
  for (const [columns, rows] of [
    [24, 9],
    [26, 12],
    [30, 15],
    [39, 10],
    [36, 24],
    [40, 10],
    [80, 24],
  ])
    test(`at ${columns}×${rows}: every page but the last is full but for a heading it leaves to the next, the frame never taller, every text read through`, async () => {
      const app = await helpAt(columns, rows);
      const byLine = new Map<number, string>();
      let f = app.frame();
      let pages = 0;
      for (;;) {
        pages++;
        expectFits(f, columns, rows, 'a help page');
        const all = f.split('\n');
        expect(all, `the frame at ${columns}×${rows}`).toHaveLength(rows - 1);
        const [first, last, total] = range(f);
        const at = all.findIndex((l) => l.includes('Keys ('));
        // The help's rows: under its title, over the status line and the footer.
        const box = all.slice(at + 1, -2);
        const shown = last - first + 1;
        // A page that goes on with a text under keys on the page before names them first: `  keys (continued)`.
        const head = box.filter((l) => l.trim() !== '').length - shown;
        expect(head, `the rows of ${first}–${last} at ${columns}×${rows}`).toBeLessThanOrEqual(1);
        if (head === 1) expect(box[0]).toMatch(/^ {2}\S.* \(cont/);
        box.slice(head, head + shown).forEach((l, i) => byLine.set(first + i, l));
        const blank = box.length - head - shown;
        expect(
          box.slice(head + shown).every((l) => l.trim() === ''),
          `rows under the page at ${columns}×${rows}`,
        ).toBe(true);
        if (last === total) break;
        await app.press(KEYS.pgdn);
        f = await app.waitForFrame((x) => range(x)[0] > first, 'the next page');
        // The last page is the fullest that ends with the last line: it may go back over the end of this one.
        const [next, , nextTotal] = range(f);
        if (next <= last) {
          expect(range(f)[1], `the page after ${first}–${last} at ${columns}×${rows}`).toBe(nextTotal);
          continue;
        }
        expect(next, `the page after ${first}–${last} at ${columns}×${rows}`).toBe(last + 1);
        // What a page leaves blank is a heading that went on to the next page, which opens on it: a section title (it
        // may wrap), or keys with their text under them.
        const rowsOf = f.split('\n');
        const opening = rowsOf.slice(rowsOf.findIndex((l) => l.includes('Keys (')) + 1);
        for (let i = 0; i < blank; i++)
          expect(
            !opening[i].startsWith(' ') || (/^ {2}\S/.test(opening[i]) && opening[i + 1]?.startsWith('    ')),
            `a page ${blank} short of full at ${columns}×${rows}, the next opens:\n${opening.join('\n')}`,
          ).toBe(true);
      }
      expect(pages, `pages at ${columns}×${rows}`).toBeGreaterThan(1);
      const text = [...byLine.entries()]
        .sort(([a], [b]) => a - b)
        .map(([, l]) => (columns < 40 ? (l.startsWith('    ') ? l : '') : l.startsWith('  ') ? l.slice(HELP_KEYS_WIDTH) : l))
        .join(' ');
      for (const b of BINDINGS) expect(words(text), `${b.action} in full at ${columns}×${rows}`).toContain(words(helpOf(b.help)));
    });

  test('in --read-only leaves out the dialogs only a decision opens: the confirmation and the typed reason or count', async () => {
    const app = (h = renderApp(storeWith(demoState(), { columns: 120, rows: 400, readOnly: true })));
    await app.waitForFrame((f) => f.includes('? help'), 'the console');
    await app.press('?');
    const f = await app.waitForFrame((x) => range(x)[0] === 1, 'help');
    const [, last, total] = range(f);
    expect(last, 'all of help on one page').toBe(total);
    expect(f).toContain('Choosing an export format');
    expect(f).toContain('Read-only: approve, reject');
    expect(f).not.toContain('Confirming a destructive approval');
    expect(f).not.toContain('Typing a reason');
    expect(f).not.toContain('Typing the count of the marked repairs');
  });

  test('at 40×10: j and k move one line, PgDn a page, G the last line and g the first', async () => {
    const app = await helpAt(40, 10);
    await app.press('j');
    // The page from line 2 ends where a key's text does: page-down goes on from the line after it.
    const [, last] = range(await app.waitForFrame((x) => range(x)[0] === 2, 'one line down'));
    await app.press(KEYS.pgdn);
    await app.waitForFrame((x) => range(x)[0] === last + 1, 'a page down');
    await app.press('G');
    await app.waitForFrame((x) => range(x)[1] === range(x)[2], 'the last line');
    await app.press('g');
    await app.waitForFrame((x) => range(x)[0] === 1, 'the first line');
  });

  for (const [columns, rows] of [
    [80, 20],
    [80, 24],
    [40, 10],
  ])
    test(`at ${columns}×${rows}: PgUp from the last page back to the first opens every page with keys or a title`, async () => {
      const app = await helpAt(columns, rows);
      await app.press('G');
      let f = await app.waitForFrame((x) => range(x)[1] === range(x)[2], 'the last page');
      for (;;) {
        const lines = f.split('\n');
        const opening = lines[lines.findIndex((l) => l.includes('Keys (')) + 1];
        expect(opening.slice(0, HELP_KEYS_WIDTH).trim(), `a page opens mid-key: ${opening}`).not.toBe('');
        const [first] = range(f);
        if (first === 1) break;
        await app.press(KEYS.pgup);
        f = await app.waitForFrame((x) => range(x)[0] < first, 'the page before');
      }
    });

  test('at 80×20: G opens the last page with keys, also where it goes on with the wrapped text of keys on the page before', async () => {
    // At 80×20 the last page's worth of lines begins on a wrapped description's second line.
    const app = await helpAt(80, 20);
    await app.press('G');
    const f = await app.waitForFrame((x) => range(x)[1] === range(x)[2], 'the last page');
    expectFits(f, 80, 20, 'the last page');
    const lines = f.split('\n');
    const opening = lines[lines.findIndex((l) => l.includes('Keys (')) + 1];
    expect(opening.slice(0, HELP_KEYS_WIDTH).trim(), `the last page opens: ${opening}`).not.toBe('');
  });
});

describe("help's footer", () => {
  test('offers the scroll keys only while help holds more than a page', async () => {
    const footer = (f: string) => f.split('\n').at(-1) ?? '';
    let app = await helpAt(120, 400);
    let f = await app.waitForFrame((x) => range(x)[1] === range(x)[2], 'all of help on one page');
    expect(footer(f)).toMatch(/close/);
    expect(footer(f)).not.toMatch(/scroll|page/);
    h?.unmount();
    app = await helpAt(120, 40);
    f = await app.waitForFrame((x) => range(x)[1] < range(x)[2], 'a first page of several');
    expect(footer(f)).toMatch(/close {2}j\/↓ scroll {2}PgDn\/space page/);
  });
});

describe('help opened from a place', () => {
  /** All of help on one page (400 rows): its section titles in order, and its lines. */
  async function helpHere(app: Harness): Promise<{ titles: string[]; text: string }> {
    await app.press('?');
    const f = await app.waitForFrame((x) => range(x)[0] === 1, 'help');
    expect(range(f)[1], 'all of help on one page').toBe(range(f)[2]);
    const body = f.split('\n').slice(f.split('\n').findIndex((l) => l.includes('Keys (')) + 1);
    return { titles: body.filter((l) => l.trim() !== '' && !l.startsWith(' ')).map((l) => l.trimEnd()), text: words(body.join('\n')) };
  }

  test("from the full card: the card's keys first, then the repairs view's, then everywhere, each as it acts on the card", async () => {
    const app = (h = renderApp(storeWith(demoState(), { columns: 120, rows: 400 })));
    await app.press('6');
    await waitForView(app, 'repairs');
    await app.press(KEYS.enter);
    await app.waitForFrame((x) => x.includes(' Repair card — '), 'the full card');
    let help = await helpHere(app);
    expect(help.titles.slice(0, 3)).toEqual(['Repair card (full height)', 'Repairs view (review)', 'Everywhere']);
    // On the card j and k scroll it: help says so, and nowhere that they move a row; enter opens no card there.
    expect(help.text).toContain('j/↓ Scroll the card down one line k/↑ Scroll the card up one line');
    expect(help.text).not.toContain('Move down one row');
    expect(help.text).not.toContain('Open the repair card full height');
    // esc goes back to the queue, not "clear the filter" as everywhere else.
    expect(help.text).toContain('esc Close the card (back to the queue)');
    expect(help.text).not.toContain('Clear the filter of this view');
    // What a key does in the trend view is no note for the card: it lists the keys as they act on the card.
    expect(help.text).toContain('G/End Go to the last row');
    expect(help.text).not.toContain('not in the trend view');
    // The other places' keys follow, as before.
    expect(help.titles).toContain('Pools view');
    await app.press(KEYS.esc, KEYS.esc);
    await app.waitForFrame((x) => x.includes('─ enter: full card'), 'the queue');
    // From the queue j moves a row.
    help = await helpHere(app);
    expect(help.titles.slice(0, 2)).toEqual(['Repairs view (review)', 'Everywhere']);
    expect(help.text).toContain('j/↓ Move down one row');
    expect(help.text).toContain('enter Open the repair card full height');
    // From a view, "everywhere" takes in the trend view, where these keys do nothing: said.
    expect(help.text).toContain('G/End Go to the last row (not in the trend view: a chart)');
  });
});
