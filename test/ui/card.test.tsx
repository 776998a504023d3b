// The repair card at the four sizes (issue 11): the diff comes first, right under the status, so a short
// terminal keeps it and scrolls the prose below it; nothing on the full card ends cut in `…`, and its title bar
// shows whole keys only. Under the queue, the compact card borrows queue rows until its whole diff shows.
import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, test } from 'vitest';
import { hintsFor } from '../../src/ui/keymap.js';
import { cardWindow, diffLine, fold } from '../../src/ui/review/card.js';
import { city, pooled, state } from '../support/builders.js';
import { reviewSelection } from '../../src/ui/review/selection.js';
import { viewModel } from '../../src/ui/views/registry.js';
import { demoCity, demoState, storeWith } from './fixture.js';
import { expectFits, KEYS, lineOf, renderApp, resizeTerminal, SIZES, waitForView, type Harness } from './render.js';
import { onDisk, type OnDisk } from './review-harness.js';
import { waitFor } from '../support/wait.js';
import { lines } from '../support/frame-lines.js';

let h: Harness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

/** The full card's title bar (under the view bar) and its body (down to the status line). */
const titleBar = (f: string) => lines(f)[3] ?? '';
const cardBody = (f: string) => lines(f).slice(4, -2);
/** The line above the footer: a dialog's last line, or a message. */
const status = (f: string) => (lines(f).at(-2) ?? '').trimEnd();
const more = (f: string) => Number(/… (\d+) more line\(s\) — j\/k scroll/.exec(f)?.[1] ?? 0);

/** The repair on the card now, and its diff as the card writes it. */
function onCard(app: Harness) {
  const s = app.store.getState();
  const entry = reviewSelection(viewModel(s, 'repairs')!, s.ui.seen).entry!;
  return { id: entry.key, diff: entry.repair.changes.map((c) => diffLine(c).text) };
}

/** The demo city at `columns`×`rows` in the repairs view, its queue filtered by `filter`. */
async function demoFiltered(filter: string, columns: number, rows: number): Promise<Harness> {
  const app = (h = renderApp(storeWith(demoCity(), { columns, rows })));
  await app.press('6');
  await waitForView(app, 'repairs');
  await app.press('/', ...filter, KEYS.enter);
  return app;
}

/** `a` on the repair `id` (confirmed when destructive, which asks), until the audit log has the approval. */
async function approveAudited(app: Harness, disk: OnDisk, id: string): Promise<void> {
  await app.press('a');
  // A destructive repair asks to confirm; another is written at once.
  await waitFor(
    () => `${app.store.getState().ui.mode} ${disk.audit().length}`,
    (v) => v !== 'normal 0',
    'the approval',
  );
  if (app.store.getState().ui.mode !== 'normal') await app.press(KEYS.tab, KEYS.enter);
  await waitFor(
    () => JSON.stringify(disk.audit().map((e) => [e.action, e.repair])),
    (v) => v.includes(`"${id}"`),
    'the approval audited',
  );
}

/** The demo city on a store file, rendered at `rows`×`columns`, in the repairs view. */
async function demoQueue(rows: number, columns: number): Promise<{ disk: OnDisk; app: Harness }> {
  const disk = await onDisk(demoCity(), { rows, columns });
  const app = (h = renderApp(disk.store, { services: disk.live.services }));
  await app.press('6');
  await waitForView(app, 'repairs');
  return { disk, app };
}

/** The full card's title bar: " Repair card — …", or, over a diff shown before the card's title, the repair's id. */
const cardBar = (bar: string) => /^ (Repair card|[a-z-]+:\S+)/.test(bar);

describe('the full card', () => {
  for (const [columns, rows] of SIZES)
    test(`at ${columns}×${rows}: every repair's diff is on its first screen, above the bead and the explanation; no line is cut`, async () => {
      const app = (h = renderApp(storeWith(demoCity(), { columns, rows })));
      await app.press('6');
      await waitForView(app, 'repairs');
      await app.press(KEYS.enter);
      const total = app.store.getState().current!.plan.repairs.length;
      const seen = new Set<string>();
      for (let i = 0; i < total; i++) {
        const { id, diff } = onCard(app);
        const f = await app.waitForFrame((x) => titleBar(x).startsWith(' Repair card') && x.includes(diff[0]), `the card of ${id}`);
        expectFits(f, columns, rows, `the card of ${id}`);
        const body = cardBody(f);
        const change = body.indexOf('Change:');
        expect(change, `${id}: the diff heads the card\n${f}`).toBeGreaterThan(0);
        expect(change, `${id}: only title and status above the diff\n${f}`).toBeLessThanOrEqual(3);
        diff.forEach((d, j) => expect(body[change + 1 + j], `${id}: diff line ${j}\n${f}`).toBe(d));
        const bead = body.findIndex((l) => /^(bead|work) /.test(l));
        if (bead >= 0) expect(bead).toBeGreaterThan(change + diff.length);
        for (const l of body) if (!l.startsWith('… ')) expect(l.endsWith('…'), `cut line on ${id}: ${l}\n${f}`).toBe(false);
        seen.add(id);
        await app.press('n');
      }
      expect(seen.size).toBe(total);
    });

  for (const [columns, rows] of SIZES)
    test(`at ${columns}×${rows}: the title bar shows whole keys, esc back first`, async () => {
      const app = (h = renderApp(storeWith(demoCity(), { columns, rows })));
      await app.press('6');
      await waitForView(app, 'repairs');
      await app.press(KEYS.enter);
      const f = await app.waitForFrame((x) => titleBar(x).startsWith(' Repair card — '), 'the card');
      const bar = titleBar(f).trim();
      expect([...bar].length).toBeLessThan(columns);
      const shown = bar.replace(/^Repair card — /, '').split(' · ');
      const keys = hintsFor('card').map((k) => `${k.keys} ${k.hint}`);
      expect(shown[0]).toBe('esc back');
      for (const k of shown) expect(keys, `"${k}" is a whole key of the card`).toContain(k);
    });

  test('its footer offers no enter: enter does nothing on the card, so only the queue offers it', async () => {
    const app = (h = renderApp(storeWith(demoCity(), { columns: 200, rows: 30 })));
    await app.press('6');
    let f = await waitForView(app, 'repairs');
    expect(lines(f).at(-1)).toContain('enter card');
    await app.press(KEYS.enter);
    f = await app.waitForFrame((x) => titleBar(x).startsWith(' Repair card — '), 'the card');
    const footer = lines(f).at(-1)!;
    expect(footer).toContain('esc back');
    expect(footer).not.toContain('enter');
  });

  test('at 80×24, j and PgDn scroll the prose under the diff down to the undo line; PgUp brings the diff back', async () => {
    const app = (h = renderApp(storeWith(demoCity(), { columns: 80, rows: 24 })));
    await app.press('6');
    await waitForView(app, 'repairs');
    await app.press('/', ...'close-duplicate', KEYS.enter);
    await app.waitForFrame((x) => lines(x).some((l) => l.startsWith('> ') && l.includes('close-duplicate')), 'the duplicate close');
    await app.press(KEYS.enter);
    const { diff } = onCard(app);
    const first = await app.waitForFrame((x) => more(x) > 0 && x.includes(diff[0]), 'a card longer than the screen');
    expect(first).not.toContain('Undo:');
    await app.press('j');
    await app.waitForFrame((x) => more(x) === more(first) - 1, 'j scrolls one line');
    await app.press(KEYS.pgdn, KEYS.pgdn);
    const end = await app.waitForFrame((x) => more(x) === 0 && x.includes('Undo:'), 'the end of the card');
    expectFits(end, 80, 24);
    expect(cardBody(end).some((l) => l.startsWith('Undo: '))).toBe(true);
    await app.press(KEYS.pgup, KEYS.pgup, KEYS.pgup);
    await app.waitForFrame((x) => cardBody(x).includes(diff[0]) && more(x) === more(first), 'back at the top');
  });
});

describe('a marked repair on the full card', () => {
  test('at 45×16, where "✓ MARKED for A" folds its status line, PgDn scrolls down to the undo line', async () => {
    const app = await demoFiltered('repair-alias', 45, 16);
    await app.waitForFrame((x) => lines(x).some((l) => l.startsWith('> ') && l.includes('repair-alias')), 'the alias repair');
    await app.press(' ');
    await app.waitForFrame((x) => lines(x).some((l) => l.startsWith('>✓') && l.includes('repair-alias')), 'marked');
    await app.press(KEYS.enter);
    const first = await app.waitForFrame((x) => x.includes('MARKED for A') && more(x) > 0, 'its card, longer than the screen');
    // Its status line takes two lines, where an unmarked one's takes one.
    expect(lineOf(first, 'UNDECIDED')).not.toContain('r reject');
    await app.press(...Array.from({ length: 2 + more(first) / 8 }, () => KEYS.pgdn));
    const end = await app.waitForFrame((x) => more(x) === 0 && x.includes('Undo:'), 'the end of the card');
    expectFits(end, 45, 16);
  });
});

describe("a restamp card's why", () => {
  test('says the owned slot and what names it once', async () => {
    const app = await demoFiltered('restamp-slot', 120, 40);
    await app.waitForFrame((x) => x.includes('filter "restamp-slot"'), 'the restamps');
    await app.press(KEYS.enter);
    const { id } = onCard(app);
    const f = await app.waitForFrame((x) => titleBar(x).startsWith(' Repair card') && x.includes(id), 'the card');
    const text = cardBody(f).join(' ').replace(/\s+/g, ' ');
    // `owned slot is 2: agent identity "frontend/worker-2" names slot 2; pool_slot 5 is stale.`, and no second wording of it.
    const why = /owned slot is (\d+): (agent identity "([^"]+)" names slot \1; pool_slot \d+ is stale)\./.exec(text);
    expect(why, text).not.toBeNull();
    expect(text.split(why![2]).length - 1, text).toBe(1);
    expect(text).not.toContain('Owned slot (R2)');
    expect(text).not.toContain(`The identity of that slot is ${why![3]}`);
  });
});

describe("an alias repair card's why", () => {
  /** The full card of the first `kind` repair of the demo at 120×40, its body as one line of text. */
  async function firstCardText(kind: string): Promise<string> {
    const app = await demoFiltered(kind, 120, 40);
    await app.waitForFrame((x) => x.includes(`filter "${kind}"`), kind);
    await app.press(KEYS.enter);
    const { id } = onCard(app);
    const f = await app.waitForFrame((x) => titleBar(x).startsWith(' Repair card') && x.includes(id), 'the card');
    return cardBody(f).join(' ').replace(/\s+/g, ' ');
  }

  test.each([
    ['repair-alias', /→ (\S+) \(available\)/],
    ['clear-conflicting-alias', /wants alias (\S+), held by/],
  ])('%s names the slot identity once, as the alias it wants', async (kind, wants) => {
    const text = await firstCardText(kind);
    // `owned slot 3 of frontend/worker: alias "backend/worker-4" → frontend/worker-3 (available).`: said there, not again.
    const identity = wants.exec(text)?.[1];
    expect(identity, text).toBeDefined();
    expect(text).not.toContain(`The identity of that slot is ${identity}`);
  });

  test.each(['repair-alias', 'clear-conflicting-alias'])('%s says the owned slot once, and how R2 chose it', async (kind) => {
    const text = await firstCardText(kind);
    // `owned slot 3 of frontend/worker: alias … → frontend/worker-3 (available).`, then why slot 3, without its number again.
    const slot = /owned slot (\d+) of /.exec(text)?.[1];
    expect(slot, text).toBeDefined();
    expect(text, text).not.toContain(`Owned slot (R2): ${slot}`);
    expect(text, text).toMatch(/Why that slot \(R2\): (agent identity|alias|session_name|pool_slot|no pool_slot) [^.]*\./);
  });

  test('clear-conflicting-alias says who holds the wanted alias once, in its why', async () => {
    const text = await firstCardText('clear-conflicting-alias');
    // `… wants alias backend/worker-4, held by dc-f3c as alias: clear the wrong alias …`, and nowhere else on the card.
    const held = /held by \S+ as \w+/.exec(text)?.[0];
    expect(held, text).toBeDefined();
    expect(text.split(held!).length - 1, text).toBe(1);
    expect(text).toMatch(/• the wanted name "[^"]+" stays with its holder/);
  });
});

describe('the card under the queue at 80×24', () => {
  test("every repair's whole diff shows under the queue, which keeps at least 5 rows", async () => {
    const app = (h = renderApp(storeWith(demoCity(), { columns: 80, rows: 24 })));
    await app.press('6');
    await waitForView(app, 'repairs');
    const total = app.store.getState().current!.plan.repairs.length;
    for (let i = 0; i < total; i++) {
      const { id, diff } = onCard(app);
      const f = await app.waitForFrame(
        (x) => lines(x).some((l) => l.startsWith('> ') && l.includes(id.split(':')[1])) && diff.every((d) => lines(x).includes(d)),
        `the diff of ${id} under the queue`,
      );
      expectFits(f, 80, 24, id);
      expect(lines(f).filter((l) => /^[> ] undecided /.test(l)).length).toBeGreaterThanOrEqual(5);
      await app.press('j');
    }
  });
});

describe('the card under the queue', () => {
  test('too long for its room, shows its first lines and a note, not only its diff over empty rows', async () => {
    const app = (h = renderApp(storeWith(demoCity(), { columns: 120, rows: 34 })));
    await app.press('6');
    await waitForView(app, 'repairs');
    // The whole queue above it: the card has the rows left (the filter would leave it room for all of it).
    while (onCard(app).id !== 'clear-conflicting-alias:dc-b4e') await app.press('j');
    const { diff } = onCard(app);
    const f = await app.waitForFrame((x) => diff.every((d) => lines(x).includes(d)) && x.includes('bead dc-b4e ·'), 'the card');
    expectFits(f, 120, 34);
    const card = lines(f).slice(
      lines(f).findIndex((l) => l.startsWith('─ enter: full card')),
      -2,
    );
    // Its explanation follows the diff, down to the note of what is left: no run of empty rows.
    expect(card.join('\n')).not.toMatch(/\n\s*\n\s*\n/);
    expect(f).toMatch(/… \d+ more line\(s\) — enter shows the full card/);
  });
});

describe('a value on the card', () => {
  test('is shown as it is on disk: line breaks and tabs as escapes, not folded into spaces', () => {
    const line = diffLine({ field: 'metadata.alias', before: 'evil\u001b[2J\r\nline2\tx', after: '"q"' }).text;
    expect(line).toBe('  ~ metadata.alias: "evil\\e[2J\\r\\nline2\\tx" → "\\"q\\""');
  });

  test("folded at a space inside it, keeps the space: the next line starts with it, past the fold's indent", async () => {
    // At 80 columns the diff folds to 76 after its 4-cell indent: the alias's 146 characters fill one line and 70 of
    // the next, and ` thumbs"` then folds onto a third. Before, its space was dropped there: "xthumbs" read the same.
    const st = state(city([{ name: 'worker', max_active_sessions: 4 }]), [
      pooled('s1', 'worker', { pool_slot: '1', agent_name: 'worker-1', alias: `${'x'.repeat(145)} thumbs`, state: 'asleep' }),
    ]);
    const app = (h = renderApp(storeWith(st, { rows: 24, columns: 80 })));
    await app.press('6');
    await waitForView(app, 'repairs');
    await app.press(KEYS.enter);
    const f = await app.waitForFrame((x) => cardBar(titleBar(x)) && x.includes('thumbs"'), 'the full card');
    const at = lines(f).findIndex((l) => l.includes('thumbs"'));
    expect(lines(f)[at - 1]).toMatch(/x$/);
    expect(lines(f)[at]).toMatch(/^ {5}thumbs" → "worker-1"/);
    // Prose folds as it did: the space it breaks at is dropped.
    expect(fold({ text: `  • ${'y'.repeat(70)} prose`, bold: false }, 40).map((l) => l.text)).toEqual([
      '  • ' + 'y'.repeat(36),
      '    ' + 'y'.repeat(34),
      '    prose',
    ]);
  });
});

describe('a quoted value in the prose', () => {
  test('is spelt as the diff spells it: its quotes and backslashes escaped, its controls as \\e', async () => {
    // The alias `a"b\` + ESC: raw in quotes, `"a"b\\e"` would not say where it ends, nor which backslash is the value's.
    const st = state(city([{ name: 'worker', max_active_sessions: 4 }]), [
      pooled('s1', 'worker', { pool_slot: '1', agent_name: 'worker-1', alias: 'a"b\\\u001b', state: 'asleep' }),
    ]);
    const app = (h = renderApp(storeWith(st, { rows: 40, columns: 160 })));
    await app.press('6');
    await waitForView(app, 'repairs');
    await app.press(KEYS.enter);
    const shown = '"a\\"b\\\\\\e"';
    const f = await app.waitForFrame((x) => cardBar(titleBar(x)) && x.includes('(available)'), 'the full card');
    expect(f).toContain(`~ metadata.alias: ${shown} → "worker-1"`);
    expect(f).toContain(`alias ${shown} → worker-1 (available)`);
    expect(f).toContain(`frees the name ${shown}`);
  });
});

describe('a decision needs the whole diff on screen', () => {
  test('a card too short for it refuses a and r and writes nothing; taller, the full card puts the diff first and a approves', async () => {
    const { disk, app } = await demoQueue(8, 60);
    try {
      const before = disk.raw();
      const message = () => app.store.getState().ui.message?.text ?? '';
      // Each key's reply is waited for: under load a key can be handled after press() returns.
      const said = (re: RegExp, what: string) => waitFor(message, (m) => re.test(m), what);
      await app.press('a');
      const id = onCard(app).id;
      await said(/nothing approved$/, 'the refusal of a');
      expect(message()).toBe(
        `the change of ${id} is not all on screen: enter opens the full card, or make the terminal taller; nothing approved`,
      );
      await app.press('r');
      await said(/not all on screen: .*nothing rejected$/, 'the refusal of r');
      await app.press(KEYS.enter);
      const full = await app.waitForFrame((f) => cardBar(titleBar(f)), 'the full card');
      // The diff goes above the card's own title here: the title bar names the repair it is.
      expect(titleBar(full).trim()).toContain(id.length > 58 ? id.slice(-10) : id);
      await app.press('a');
      await said(/not all on screen: j\/k scroll through it, .*nothing approved$/, 'the refusal of a on the full card');
      expect(app.store.getState().ui.mode).toBe('normal');
      expect(disk.raw()).toBe(before);
      expect(disk.audit()).toEqual([]);

      // Taller: the diff goes first on the full card when the title and status leave it no room, and `a` acts.
      app.store.getState().setViewport(14, 60);
      resizeTerminal(app.stdout, 14, 60);
      const { diff } = onCard(app);
      const f = await app.waitForFrame((x) => diff.every((d) => cardBody(x).includes(d)), 'the whole diff on the card');
      expectFits(f, 60, 14);
      await waitFor(
        () => app.store.getState().ui.diffOnScreen?.id ?? '',
        (v) => v === id,
        'the diff recorded as on screen',
      );
      await approveAudited(app, disk, id);
      expect(disk.raw()).not.toBe(before);
    } finally {
      await disk.close();
    }
  });
});

describe('a diff taller than the full card', () => {
  // An alias of 158 characters: at 50 columns each side of its change folds over 4 lines, and a 10-row terminal
  // leaves the full card 2 lines and its "more lines" note.
  const long = (c: string) => `backend/${c.repeat(150)}-tail`;
  const tall = () =>
    state(city([{ name: 'worker', max_active_sessions: 4 }]), [
      pooled('s1', 'worker', { pool_slot: '1', agent_name: 'worker-1', alias: long('x'), state: 'asleep' }),
    ]);
  const tallOf = (n: number) =>
    state(city([{ name: 'worker', max_active_sessions: 4 }]), [
      pooled('s1', 'worker', { pool_slot: '1', agent_name: 'worker-1', alias: `backend/${'x'.repeat(n)}`, state: 'asleep' }),
    ]);
  const ID = 'repair-alias:s1';

  async function fullCard(disk: OnDisk) {
    const app = (h = renderApp(disk.store, { services: disk.live.services }));
    await app.press('6');
    await waitForView(app, 'repairs');
    await app.press(KEYS.enter);
    await app.waitForFrame((f) => cardBar(titleBar(f)) && more(f) > 0, 'the full card, cut');
    const message = () => app.store.getState().ui.message?.text ?? '';
    const seenId = () => app.store.getState().ui.diffOnScreen?.id ?? '';
    /** Back to the card's top, then down a line at a time until every line of the change has been shown. */
    const scrollThrough = async () => {
      await app.press(KEYS.pgup, KEYS.pgup, KEYS.pgup, KEYS.pgup);
      for (let k = 0; k < 60 && seenId() !== ID; k++) await app.press('j');
      await waitFor(seenId, (v) => v === ID, 'the change recorded as seen after scrolling through it');
    };
    return { app, message, seenId, scrollThrough };
  }

  test('counts as seen once scrolling has shown every line of it, and a then approves that version', async () => {
    const disk = await onDisk(tall(), { rows: 10, columns: 50 });
    try {
      const { app, message, seenId, scrollThrough } = await fullCard(disk);
      const before = disk.raw();
      await app.press('a');
      expect(message()).toMatch(/^the change of repair-alias:s1 is not all on screen: j\/k scroll through it, .*nothing approved$/);
      expect(seenId()).toBe('');
      // Half way down is not enough.
      await app.press('j', 'j', 'j');
      await app.press('a');
      expect(message()).toMatch(/not all on screen/);
      expect(disk.raw()).toBe(before);
      await scrollThrough();
      await app.press('a');
      await waitFor(
        () => JSON.stringify(disk.audit().map((e) => [e.repair, e.result])),
        (v) => v === `[["${ID}","applied"]]`,
        'the approval audited',
      );
      expect(disk.bead('s1').metadata!.alias).toBe('worker-1');
    } finally {
      await disk.close();
    }
  });

  for (const [rows, columns] of [
    [10, 50],
    [24, 80],
  ] as const)
    test(`at ${columns}×${rows}: paging through it with PgDn counts as seen too, and a then approves`, async () => {
      // At 80×24 an alias of 1,500 characters: its change folds over 40 lines, and the card shows 16.
      const disk = await onDisk(rows === 10 ? tall() : tallOf(1500), { rows, columns });
      try {
        const { app, message } = await fullCard(disk);
        // PgDn down to the card's last page (no "more lines" note left): every line of the change went past.
        let f = app.frame();
        for (let k = 0; k < 60 && more(f) > 0; k++) {
          const was = more(f);
          await app.press(KEYS.pgdn);
          f = await app.waitForFrame((x) => more(x) < was, 'a page down');
        }
        expect(more(f)).toBe(0);
        await app.press('a');
        await waitFor(
          () => `${message()} ${JSON.stringify(disk.audit().map((e) => [e.repair, e.result]))}`,
          (v) => v.endsWith(`[["${ID}","applied"]]`),
          'the approval audited',
        );
        expect(disk.bead('s1').metadata!.alias).toBe('worker-1');
      } finally {
        await disk.close();
      }
    });

  test('at 80×24, a diff too tall for the pane of A: neither the footer nor the title bar offers A, which refuses', async () => {
    const disk = await onDisk(tallOf(1500), { rows: 24, columns: 80 });
    try {
      const { app, message } = await fullCard(disk);
      const f = app.frame();
      expect(lines(f).at(-1)).toMatch(/^esc back .*\? help/);
      expect(lines(f).at(-1)).not.toContain('A approve');
      expect(titleBar(f)).not.toContain('A approve');
      await app.press(KEYS.esc);
      const queue = await app.waitForFrame((x) => !cardBar(titleBar(x)) && /\? help/.test(lines(x).at(-1)!), 'the queue');
      expect(lines(queue).at(-1)).not.toContain('A approve');
      // What it no longer offers would refuse.
      await app.press('A');
      await waitFor(message, (m) => /^A: a repair needs \d+ lines, \d+ fit/.test(m), 'A refused');
    } finally {
      await disk.close();
    }
  });

  test('at 200×24, a diff the pane of A holds: the footer and the title bar offer A', async () => {
    const disk = await onDisk(tall(), { rows: 24, columns: 200 });
    try {
      const app = (h = renderApp(disk.store, { services: disk.live.services }));
      await app.press('6');
      await waitForView(app, 'repairs');
      await app.press(KEYS.enter);
      const f = await app.waitForFrame((x) => cardBar(titleBar(x)) && lines(x).at(-1)!.includes('A approve all'), 'the full card');
      expect(titleBar(f)).toContain('A approve all');
    } finally {
      await disk.close();
    }
  });

  test('what was scrolled through counts for that version only: a refresh that changes it needs it scrolled through again', async () => {
    const disk = await onDisk(tall(), { rows: 10, columns: 50 });
    try {
      const { app, message, seenId, scrollThrough } = await fullCard(disk);
      await scrollThrough();
      // Another alias from outside: a new version of the same repair, none of it scrolled through yet.
      disk.write((d) => {
        d.beads[0].metadata!.alias = long('y');
      });
      await disk.live.refresh();
      await waitFor(seenId, (v) => v === '', 'the old version no longer counting');
      const bytes = disk.raw();
      await app.press('a');
      expect(message()).toMatch(/^the change of repair-alias:s1 is not all on screen: j\/k scroll through it/);
      await scrollThrough();
      await app.press('a');
      expect(message()).toBe(`acknowledged the new diff of ${ID}: nothing written; a approves it`);
      expect(disk.raw()).toBe(bytes);
      await app.press('a');
      await waitFor(
        () => JSON.stringify(disk.audit().map((e) => [e.repair, e.result, e.changes[0].before])),
        (v) => v === JSON.stringify([[ID, 'applied', long('y')]]),
        'the new version applied',
      );
    } finally {
      await disk.close();
    }
  });

  test('a refresh that leaves its changes as they were keeps what was scrolled through: a approves it', async () => {
    const disk = await onDisk(tall(), { rows: 10, columns: 50 });
    try {
      const { app, seenId, scrollThrough } = await fullCard(disk);
      await scrollThrough();
      // Read on past the change, then another write of the bead that leaves the change the same: a new repair object.
      await app.press('j', 'j');
      const was = app.store.getState().current!.plan.repairs[0];
      disk.write((d) => {
        d.beads[0].title = 'renamed elsewhere';
      });
      await disk.live.refresh();
      await waitFor(
        () => String(app.store.getState().current!.plan.repairs[0] !== was),
        (v) => v === 'true',
        'the refreshed plan',
      );
      await waitFor(seenId, (v) => v === ID, 'still recorded as on screen');
      await app.press('a');
      await waitFor(
        () => JSON.stringify(disk.audit().map((e) => [e.repair, e.result])),
        (v) => v === `[["${ID}","applied"]]`,
        'the approval audited',
      );
    } finally {
      await disk.close();
    }
  });

  test('a resize that folds the change otherwise counts its new lines', async () => {
    const disk = await onDisk(tall(), { rows: 10, columns: 50 });
    try {
      const { app, seenId, scrollThrough } = await fullCard(disk);
      await scrollThrough();
      app.store.getState().setViewport(10, 56);
      resizeTerminal(app.stdout, 10, 56);
      // At 56 columns the long values fold into other lines, which the card has not all shown yet.
      await waitFor(seenId, (v) => v === '', 'the change as folded at 56 columns not counted as on screen');
      await scrollThrough();
    } finally {
      await disk.close();
    }
  });

  test('a diff seen whole and then shrunk off the screen by a resize is not acted on until it is on screen again', async () => {
    const { disk, app } = await demoQueue(40, 120);
    try {
      const { id, diff } = onCard(app);
      await app.waitForFrame((x) => diff.every((d) => lines(x).includes(d)), 'the whole diff under the queue');
      await waitFor(
        () => app.store.getState().ui.seen?.id ?? '',
        (v) => v === id,
        'the version seen',
      );
      const before = disk.raw();
      const message = () => app.store.getState().ui.message?.text ?? '';

      app.store.getState().setViewport(10, 40);
      resizeTerminal(app.stdout, 10, 40);
      await app.waitForFrame((x) => lines(x).length <= 10 && !diff.every((d) => x.includes(d)), 'the diff off the screen');
      await waitFor(
        () => String(app.store.getState().ui.diffOnScreen?.id ?? ''),
        (v) => v === '',
        'nothing on screen recorded',
      );
      for (const [key, outcome] of [
        ['a', 'nothing approved'],
        ['r', 'nothing rejected'],
        [' ', 'not marked'],
      ]) {
        await app.press(key);
        // A decision key may wait for the frame that shows its repair (use-keys.ts): wait for its word, not a tick.
        const want = new RegExp(`^the change of ${id} is not all on screen: .*; ${outcome}$`);
        await waitFor(message, (m) => want.test(m), `${key} refused`);
        expect(app.store.getState().ui.mode, key).toBe('normal');
      }
      expect(app.store.getState().ui.marks.size).toBe(0);
      expect(disk.raw()).toBe(before);
      expect(disk.audit()).toEqual([]);

      // Back to a size that shows it: `a` acts on the version on screen.
      app.store.getState().setViewport(40, 120);
      resizeTerminal(app.stdout, 40, 120);
      await app.waitForFrame((x) => diff.every((d) => lines(x).includes(d)), 'the whole diff again');
      await waitFor(
        () => app.store.getState().ui.diffOnScreen?.id ?? '',
        (v) => v === id,
        'the diff recorded as on screen',
      );
      await approveAudited(app, disk, id);
    } finally {
      await disk.close();
    }
  });

  test('a key typed in the same moment as a resize is judged on the frame drawn at the new size', async () => {
    const { disk, app } = await demoQueue(40, 120);
    try {
      const { id } = onCard(app);
      await waitFor(
        () => app.store.getState().ui.diffOnScreen?.id ?? '',
        (v) => v === id,
        'the diff on screen',
      );
      const before = disk.raw();
      app.store.getState().setViewport(10, 40);
      resizeTerminal(app.stdout, 10, 40);
      app.stdin.write('a');
      await waitFor(
        () => app.store.getState().ui.message?.text ?? '',
        (v) => v !== '',
        'the answer to a',
      );
      expect(app.store.getState().ui.message?.text).toMatch(new RegExp(`^the change of ${id} is not all on screen`));
      expect(app.store.getState().ui.mode).toBe('normal');
      expect(disk.raw()).toBe(before);
    } finally {
      await disk.close();
    }
  });

  test('a message wrapped over two lines does not hold a off: the key clears it and acts on the frame without it', async () => {
    const { disk, app } = await demoQueue(15, 60);
    try {
      while (onCard(app).id !== 'backfill-template:dc-b4e') await app.press('j');
      const id = onCard(app).id;
      await waitFor(
        () => app.store.getState().ui.diffOnScreen?.id ?? '',
        (v) => v === id,
        'the diff on screen',
      );
      const text = `exported md snapshot to /tmp/a-rather-long-directory-name/for-reports/demo.snapshot.md`;
      app.store.getState().setMessage({ text, tone: 'info' });
      await app.waitForFrame((x) => x.includes('exported md snapshot to'), 'the message over two lines');
      expect(app.store.getState().ui.diffOnScreen).toBeNull();
      await approveAudited(app, disk, id);
    } finally {
      await disk.close();
    }
  });

  test('a dialog open when a resize cuts its diff writes nothing: the confirmation, and the reason prompt', async () => {
    const { disk, app } = await demoQueue(40, 120);
    try {
      await app.press('/', ...'close-duplicate', KEYS.enter);
      const { id } = onCard(app);
      await waitFor(
        () => app.store.getState().ui.diffOnScreen?.id ?? '',
        (v) => v === id,
        'the diff on screen',
      );
      const message = () => app.store.getState().ui.message?.text ?? '';
      const before = disk.raw();
      const shrink = async () => {
        app.store.getState().setViewport(10, 40);
        resizeTerminal(app.stdout, 10, 40);
        await waitFor(
          () => String(app.store.getState().ui.diffOnScreen?.id ?? ''),
          (v) => v === '',
          'the diff cut',
        );
      };
      const grow = async () => {
        app.store.getState().setViewport(40, 120);
        resizeTerminal(app.stdout, 40, 120);
        await waitFor(
          () => app.store.getState().ui.diffOnScreen?.id ?? '',
          (v) => v === id,
          'the diff whole again',
        );
      };
      // The destructive confirmation: Approve focused, then the resize, then enter.
      await app.press('a');
      await waitFor(
        () => String(app.store.getState().ui.mode !== 'normal'),
        (v) => v === 'true',
        'the confirmation',
      );
      await app.press(KEYS.tab);
      await shrink();
      await app.press(KEYS.enter);
      await waitFor(message, (v) => v !== '', 'the answer');
      expect(message()).toMatch(new RegExp(`^the change of ${id} is not all on screen: .*; nothing written$`));
      await grow();
      // The reason prompt: typed, then the resize, then enter.
      await app.press('r', ...'later');
      await waitFor(
        () => String(app.store.getState().ui.mode !== 'normal'),
        (v) => v === 'true',
        'the reason prompt',
      );
      await shrink();
      await app.press(KEYS.enter);
      await waitFor(message, (v) => v.includes('nothing recorded'), 'the answer');
      // Nothing recorded, and the typed reason is kept for the next r (it was dropped unsaid before).
      expect(message()).toMatch(
        new RegExp(`^the change of ${id} is not all on screen: .*; nothing recorded; reason kept for the next r on it$`),
      );
      expect(app.store.getState().ui.reasons.get(id)).toBe('later');
      expect(disk.raw()).toBe(before);
      expect(disk.audit()).toEqual([]);
    } finally {
      await disk.close();
    }
  });

  test('at 40×9 a confirmation whose diff a resize cut says it is not on screen, and enter says why it wrote nothing', async () => {
    const { disk, app } = await demoQueue(24, 80);
    try {
      await app.press('/', ...'close-duplicate', KEYS.enter);
      await app.press(KEYS.enter);
      await app.waitForFrame((x) => cardBar(titleBar(x)), 'the full card');
      const { id } = onCard(app);
      await waitFor(
        () => app.store.getState().ui.diffOnScreen?.id ?? '',
        (v) => v === id,
        'the diff on screen',
      );
      await app.press('a');
      await app.waitForFrame((x) => /cannot be undone/i.test(x), 'the confirmation');
      await app.press(KEYS.tab);
      await app.waitForFrame((x) => /\[ ?Approve ?\]$/.test(status(x)), 'Approve focused');
      const before = disk.raw();
      resizeTerminal(app.stdout, 9, 40);
      let f = await app.waitForFrame((x) => lines(x).length <= 9 && more(x) > 0, 'the diff cut by the resize');
      const asked = lines(f).slice(-3, -1).join(' ');
      expect(asked).toMatch(/Not on screen/);
      expect(asked).not.toMatch(/cannot be undone/i);
      expectFits(f, 40, 9);
      await app.press(KEYS.enter);
      f = await app.waitForFrame((x) => status(x).includes('nothing written'), 'enter answered');
      // Cut to its two lines, it keeps its first words, why and what it did not do.
      expect(lines(f).slice(-3, -1).join(' ')).toBe('the change of…is not all on screen…; nothing written');
      expect(disk.raw()).toBe(before);
      expect(disk.audit()).toEqual([]);
    } finally {
      await disk.close();
    }
  });

  test('esc from the full card and a decision typed with it: judged on the card under the queue', async () => {
    const { disk, app } = await demoQueue(12, 60);
    try {
      await app.press('/', ...'close-duplicate', KEYS.enter);
      const { id } = onCard(app);
      // Under the queue at 60x12 the diff does not show; on the full card it does.
      await app.press('a');
      await waitFor(
        () => app.store.getState().ui.message?.text ?? '',
        (v) => v.includes('not all on screen'),
        'a refused under the queue',
      );
      await app.press(KEYS.enter);
      await waitFor(
        () => app.store.getState().ui.diffOnScreen?.id ?? '',
        (v) => v === id,
        'the diff on the full card',
      );
      const before = disk.raw();
      app.stdin.write('\u001ba');
      await waitFor(
        () => app.store.getState().ui.message?.text ?? '',
        (v) => v.includes('not all on screen'),
        'a refused again',
      );
      expect(app.store.getState().ui.mode).toBe('normal');
      expect(app.store.getState().ui.card).toBe(false);
      expect(disk.raw()).toBe(before);
    } finally {
      await disk.close();
    }
  });

  test('a refused r: the reason typed with it is ignored, not run as keys of the view', async () => {
    const { disk, app } = await demoQueue(12, 60);
    try {
      await app.press('/', ...'close-duplicate', KEYS.enter);
      const cursor = app.store.getState().ui.cursors.repairs;
      app.stdin.write('rnot sure yet\r');
      await waitFor(
        () => app.store.getState().ui.message?.text ?? '',
        (v) => v.includes('not all on screen'),
        'r refused',
      );
      expect(app.store.getState().ui.message?.text).toMatch(/nothing rejected \(13 keys typed after it ignored\)$/);
      expect(app.store.getState().ui.mode).toBe('normal');
      expect(app.store.getState().ui.cursors.repairs).toEqual(cursor);
      expect(readdirSync(disk.dir).filter((n) => n.includes('snapshot'))).toEqual([]);
      expect(disk.audit()).toEqual([]);
    } finally {
      await disk.close();
    }
  });

  test('a line of the change is counted by its place in the change and its text, whatever is above it on the card', () => {
    const change = [{ text: 'Change:' }, { text: '  ~ a: "1" → "2"', writes: true }, { text: '  + b: "3"', writes: true }];
    const keys = cardWindow([{ text: 'title' }, { text: 'status' }, ...change, { text: 'prose' }], 10, 0, true, 80).writeKeys;
    expect(keys).toHaveLength(2);
    // The status folded over two lines, or the change put first: the same keys.
    expect(cardWindow([{ text: 'title' }, { text: 'status' }, { text: 'more status' }, ...change], 10, 0, true, 80).writeKeys).toEqual(
      keys,
    );
    expect(cardWindow([change[1], change[2], { text: 'title' }, { text: 'status' }], 10, 0, true, 80).writeKeys).toEqual(keys);
    // A window of two lines from the fourth shows the second line of the change only (the last is the note).
    const part = cardWindow([{ text: 'title' }, { text: 'status' }, ...change, { text: 'prose' }, { text: 'undo' }], 2, 3, true, 80);
    expect(part.writesShown).toEqual([keys[0]]);
    expect(part.diffShown).toBe(false);
  });
});

describe('the decision keys at 40×9', () => {
  test('with the whole diff on screen, the full card offers a in its footer and r in its title bar; on a rejected repair, o in both the card and the list', async () => {
    const disk = await onDisk(demoState(), { rows: 9, columns: 40 });
    const app = (h = renderApp(disk.store, { services: disk.live.services }));
    await app.press('6');
    await waitForView(app, 'repairs');
    const footer = (f: string) => lines(f).at(-1) ?? '';
    try {
      await app.press('/', ...'restamp-slot fe-poison', KEYS.enter);
      await app.waitForFrame((x) => x.includes('1–1 of 1'), 'the one repair');
      await app.press(KEYS.enter);
      let f = await app.waitForFrame((x) => cardBar(titleBar(x)) && x.includes('~ metadata.pool_slot'), 'the full card, its diff whole');
      // Before, both said esc back and j/↓ scroll (the body says j/k scroll too) and neither offered a decision.
      expect(footer(f)).toMatch(/^esc back {2}a approve {2}\? help {2}q quit/);
      expect(titleBar(f).trimEnd()).toMatch(/ — r reject$/);
      expect(f).toMatch(/j\/k scroll/);
      expectFits(f, 40, 9);
      await app.press('r', KEYS.enter);
      f = await app.waitForFrame((x) => status(x).startsWith('rejected '), 'rejected');
      expect(footer(f)).toMatch(/^esc back {2}o reopen {2}\? help/);
      await app.press(KEYS.esc);
      f = await app.waitForFrame((x) => !cardBar(titleBar(x)) && x.includes('> rejected'), 'the list');
      expect(footer(f)).toMatch(/^o reopen {2}tab view {2}\? help {2}q quit/);
      expectFits(f, 40, 9);
    } finally {
      await disk.close();
    }
  });
});

describe('a diff wider than the terminal', () => {
  const long = `backend/${'x'.repeat(120)}-tail`;
  const wide = () =>
    state(city([{ name: 'worker', max_active_sessions: 4 }]), [
      pooled('s1', 'worker', { pool_slot: '1', agent_name: 'worker-1', alias: long, state: 'asleep' }),
    ]);

  test('under the queue it is folded, every part on screen, before a counts it as seen', async () => {
    const app = (h = renderApp(storeWith(wide(), { columns: 80, rows: 24 })));
    await app.press('6');
    const f = await app.waitForFrame((x) => x.includes('-tail"') && x.includes('"worker-1"'), 'the whole diff under the queue');
    expectFits(f, 80, 24);
    // The value's every character is on screen: the frame's lines, joined, hold it whole.
    expect(
      lines(f)
        .map((l) => l.trim())
        .join(''),
    ).toContain(long);
    await waitFor(
      () => app.store.getState().ui.diffOnScreen?.id ?? '',
      (v) => v === 'repair-alias:s1',
      'the diff recorded as on screen',
    );
  });

  test('a card too short for the folded diff does not count it as seen, and a says so', async () => {
    const app = (h = renderApp(storeWith(wide(), { columns: 80, rows: 9 })));
    await app.press('6');
    await waitForView(app, 'repairs');
    await app.press('a');
    expect(app.store.getState().ui.message?.text).toMatch(/^the change of repair-alias:s1 is not all on screen/);
    expect(app.store.getState().ui.seen).toBeNull();
  });

  test('a diff line cut at the edge is not shown, whatever the number of lines', () => {
    const line = { text: `  ~ metadata.alias: "${long}" → "worker-1"`, writes: true };
    expect(cardWindow([{ text: 'title' }, line], 5, 0, true, 80).diffShown).toBe(false);
    expect(cardWindow([{ text: 'title' }, line], 5, 0, true, 200).diffShown).toBe(true);
    expect(cardWindow([{ text: 'title' }, ...fold(line, 80)], 5, 0, true, 80).diffShown).toBe(true);
    expect(cardWindow([{ text: 'title' }, ...fold(line, 80)], 2, 0, true, 80).diffShown).toBe(false);
  });
});

describe('a message longer than the status line', () => {
  test('wraps over two lines, so its end (what was not done) shows; the frame keeps its height', async () => {
    const app = (h = renderApp(storeWith(demoCity(), { columns: 80, rows: 24 })));
    await app.press('6');
    await waitForView(app, 'repairs');
    const text =
      'the change of rollback-stale-create:dc-c1a is not all on screen: enter opens the full card, or make the terminal taller; nothing approved';
    app.store.getState().setMessage({ text, tone: 'error' });
    const f = await app.waitForFrame((x) => x.includes('nothing approved'), 'the whole message on screen');
    expectFits(f, 80, 24);
    const rows = lines(f);
    expect(`${rows.at(-3)} ${rows.at(-2)}`.replace(/\s+/g, ' ').trim()).toBe(text);
    // The next key clears it, and the list has its row back.
    await app.press('j');
    const g = await app.waitForFrame((x) => !x.includes('nothing approved'), 'the message gone');
    expectFits(g, 80, 24);
  });

  test('keeps its end while work is shown: the work indicator takes only the room the message leaves', async () => {
    const app = (h = renderApp(storeWith(demoCity(), { columns: 80, rows: 24 })));
    await app.press('6');
    await waitForView(app, 'repairs');
    const text = 'exported md snapshot to /tmp/reports/for-the-incident-review/demo-city.snapshot-20260506T021300Z.md';
    app.store.getState().setMessage({ text, tone: 'info' });
    app.store.getState().patchUi({ activity: 'reading' });
    const f = await app.waitForFrame((x) => x.includes('exported md snapshot'), 'the message');
    expectFits(f, 80, 24);
    const rows = lines(f);
    // Whole, and the work indicator after it, cut to the room left (a message leaves it two columns at least).
    expect(`${rows.at(-3)} ${rows.at(-2)}`.replace(/\s+/g, ' ').trim()).toMatch(new RegExp(`^${text.replace(/[.]/g, '\\.')} (r\\S*|…)$`));
    // Alone on the line, the work shows again.
    await app.press('j');
    await app.waitForFrame((x) => (lines(x).at(-2) ?? '').includes('reading'), 'the work indicator');
  });
});

describe('a dialog on a 40×10 terminal', () => {
  test('takes rows from the list behind it, so it says what it asks about: the count prompt its summary, the export its question', async () => {
    // A repair marked where its card shows its diff, then the terminal made 40×10.
    const { disk, app } = await demoQueue(30, 100);
    try {
      // The count of marked repairs (with none marked, A's review pane has no room for a diff here: refused).
      await app.press(' ');
      await app.waitForFrame((x) => x.includes('1 marked'), 'one mark');
      resizeTerminal(app.stdout, 10, 40);
      await app.waitForFrame((x) => lines(x).length <= 9 && lines(x).every((l) => l.length <= 40), '40×10');
      await app.press('A');
      let f = await app.waitForFrame((x) => x.includes('Type ') && x.includes(':'), 'the count prompt');
      expect(f.replace(/\s+/g, ' ')).toMatch(/Type 1 to approve 1 marked \w/);
      expect(lines(f).length).toBeLessThanOrEqual(10);
      await app.press(KEYS.esc);
      await app.waitForFrame((x) => !x.includes('to approve'), 'cancelled');
      await app.press('e');
      f = await app.waitForFrame((x) => x.includes('[ md ]'), 'the export choice');
      // Two lines: what is exported above, "as:" once, beside the choices.
      const at = lines(f).findIndex((l) => l.includes('[ md ]'));
      expect(lines(f)[at - 1]).toContain('Export a snapshot');
      expect(lines(f)[at]).toMatch(/^as: /);
      expect(f.match(/\bas:/g)).toHaveLength(1);
      expect(lines(f).length).toBeLessThanOrEqual(10);
    } finally {
      await disk.close();
    }
  });

  test('the destructive confirmation shows both its choices, the focused one in brackets, and fits the terminal', async () => {
    const app = (h = renderApp(storeWith(demoState(), { columns: 40, rows: 10 })));
    await app.press('6', '/', ...'close-duplicate', KEYS.enter, KEYS.enter);
    // The full card has room for two of the diff's three lines: j scrolls the last one into view, then a asks.
    await app.waitForFrame((x) => x.includes('~ status: "open" → "closed"'), 'the full card');
    await app.press('j');
    await app.waitForFrame((x) => x.includes('"duplicate-slot"'), "the diff's last line");
    await app.press('a');
    let f = await app.waitForFrame((x) => x.includes('It closes bead fe-dup'), 'the confirmation');
    expectFits(f, 40, 10, 'the confirmation');
    expect(status(f)).toMatch(/\[ ?Cancel ?\] +Approve$/);
    await app.press(KEYS.tab);
    f = await app.waitForFrame((x) => /\[ ?Approve ?\]$/.test(status(x)), 'Approve focused');
    expectFits(f, 40, 10, 'the confirmation');
    expect(status(f)).toMatch(/ Cancel +\[ ?Approve ?\]$/);
    await app.press(KEYS.esc);
    await app.waitForFrame((x) => !x.includes('It closes bead'), 'cancelled');
  });
});
