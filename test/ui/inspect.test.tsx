// The inspect pane (issue 11 item 2): `y` shows the raw bead as JSON, `enter` on a slot, alias, template,
// work or finding row shows its detail in full; both wrap, scroll (j/k, PgUp/PgDn, g/G), close on esc,
// never grow past the terminal and never put the data's control characters on it.
import { afterEach, describe, expect, test } from 'vitest';
import { localServices } from '../../src/console/services.js';
import { sampleOf } from '../../src/store/metrics-sample.js';
import { NOW } from '../support/builders.js';
import { osc52, wrapInspect } from '../../src/ui/inspect.js';
import { demoState, hostileState, HOSTILE, storeWith } from './fixture.js';
import { expectFits, KEYS, renderApp, resizeTerminal, SIZES, type Harness } from './render.js';

let h: Harness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

/** An escape or bell character reaching the frame. */
const rawControl = (f: string) => f.includes('\u001b') || f.includes('\u0007');

const range = (f: string) => /\((\d+)–(\d+) of (\d+)\)/.exec(f)?.slice(1).map(Number) ?? [];

describe('y: the raw bead as JSON', () => {
  for (const [columns, rows] of SIZES)
    test(`on a slot row at ${columns}×${rows}: the bead's JSON, scrolled by j/k, PgDn/PgUp, G/g; esc closes`, async () => {
      h = renderApp(storeWith(demoState(), { rows, columns }));
      await h.press('2');
      await h.waitForFrame((f) => f.includes('AGENT_NAME'), 'slots');
      const bead = h.store.getState().ui.cursors.slots.key ?? '';
      await h.press('y');
      let f = await h.waitForFrame((x) => x.includes(`bead ${bead}`) && x.includes('"issue_type": "session"'), 'raw JSON');
      expectFits(f, columns, rows);
      expect(f).toContain('esc/q/y close');
      const [first, , total] = range(f);
      expect(first).toBe(1);
      await h.press('j');
      if (total > rows - 8) {
        await h.waitForFrame((x) => range(x)[0] === 2, 'j scrolls one line');
        await h.press('k');
        await h.waitForFrame((x) => range(x)[0] === 1, 'k scrolls back');
        await h.press('G');
        f = await h.waitForFrame((x) => range(x)[1] === total, 'G shows the last line');
        expectFits(f, columns, rows);
        expect(f).toContain('}');
        await h.press(KEYS.pgup);
        await h.waitForFrame((x) => range(x)[1] < total, 'PgUp');
        await h.press('g');
        await h.waitForFrame((x) => range(x)[0] === 1, 'g');
        await h.press(KEYS.pgdn);
        await h.waitForFrame((x) => range(x)[0] > 1, 'PgDn');
      }
      await h.press(KEYS.esc);
      await h.waitForFrame((x) => x.includes('AGENT_NAME'), 'esc closes');
      expect(h.store.getState().ui.mode).toBe('normal');
    });

  test('esc and j typed at once (tmux sends them as one alt chord): the pane closes and j moves the cursor', async () => {
    h = renderApp(storeWith(demoState(), { rows: 24, columns: 80 }));
    await h.press('2');
    await h.waitForFrame((f) => f.includes('AGENT_NAME'), 'slots');
    const first = h.store.getState().ui.cursors.slots.index;
    await h.press('y');
    await h.waitForFrame((x) => x.includes('esc/q/y close'), 'raw JSON');
    await h.press(`${KEYS.esc}j`);
    await h.waitForFrame((x) => x.includes('AGENT_NAME') && !x.includes('esc/q/y close'), 'esc closes');
    expect(h.store.getState().ui.mode).toBe('normal');
    expect(h.store.getState().ui.cursors.slots.index).toBe(first + 1);
  });

  test('on a repair row: the bead the repair changes; on a pool row: its agent config', async () => {
    h = renderApp(storeWith(demoState(), { rows: 24, columns: 80 }));
    await h.press('6');
    await h.waitForFrame((f) => f.includes('REASON') && h!.store.getState().ui.cursors.repairs.key !== null, 'repairs');
    const s = h.store.getState();
    const repair = s.current!.plan.repairs.find((r) => r.id === s.ui.cursors.repairs.key)!;
    await h.press('y');
    await h.waitForFrame((f) => f.includes(`bead ${repair.beadId}`) && f.includes(`"id": "${repair.beadId}"`), 'the bead of the repair');
    await h.press(KEYS.esc, '1');
    await h.waitForFrame((f) => f.includes('TEMPLATE') && f.includes('HEALTH'), 'pools');
    await h.press('y');
    await h.waitForFrame((f) => f.includes('agent ') && f.includes('"max_active_sessions"'), 'the agent config');
  });

  test('the scroll keys are offered only while the pane holds more lines than it shows', async () => {
    h = renderApp(storeWith(demoState(), { rows: 24, columns: 80 }));
    await h.press('1');
    await h.waitForFrame((f) => f.includes('TEMPLATE') && f.includes('HEALTH'), 'pools');
    await h.press('y');
    const fits = await h.waitForFrame((x) => x.includes('agent ') && x.includes('"max_active_sessions"'), 'the agent config');
    const [, last, total] = range(fits);
    expect(last, 'the agent config fits its pane').toBe(total);
    const footer = (f: string) => f.split('\n').at(-1)!;
    expect(footer(fits)).toContain('esc/q/y close');
    expect(footer(fits)).not.toContain('scroll');
    expect(footer(fits)).not.toContain('page');
    // Offered where the same pane holds more than it shows: a terminal too short for it.
    resizeTerminal(h.stdout, 9, 80);
    const cut = await h.waitForFrame((x) => range(x)[1] < range(x)[2], 'the pane cut');
    expect(footer(cut)).toContain('j/↓ scroll');
    expect(footer(cut)).toContain('PgDn/space page');
    await h.press('j');
    await h.waitForFrame((x) => range(x)[0] === 2, 'j scrolls one line');
  });

  test('on a pool row with refused duplicates: its agent config, not a duplicate bead', async () => {
    h = renderApp(storeWith(demoState(), { rows: 24, columns: 80 }));
    await h.press('1');
    await h.waitForFrame((f) => f.includes('TEMPLATE') && f.includes('HEALTH'), 'pools');
    const rows = h.store.getState().current!.plan.pools;
    const withDuplicates = rows.filter((p) => p.duplicates.length > 0);
    expect(withDuplicates.length).toBeGreaterThan(0);
    for (const pool of withDuplicates) {
      await h.press('g', ...Array<string>(rows.indexOf(pool)).fill('j'));
      await h.waitForFrame(() => h!.store.getState().ui.cursors.pools.key === pool.template, `cursor on ${pool.template}`);
      await h.press('y');
      const f = await h.waitForFrame((x) => x.includes('esc/q/y close'), 'the pane');
      expect(f).toContain(`agent ${pool.template}`);
      expect(f).not.toContain(' bead ');
      await h.press(KEYS.esc);
      await h.waitForFrame((x) => !x.includes('esc/q/y close'), 'closed');
    }
  });

  test('escape sequences in a bead are shown escaped, never sent to the terminal', async () => {
    h = renderApp(storeWith(hostileState(), { rows: 24, columns: 80 }));
    // The hostile template's pool: pick it through the store (its name is not typeable).
    const s = h.store.getState();
    s.setCursor('pools', { key: HOSTILE.template, index: 0, top: 0 });
    s.setView('slots');
    await h.waitForFrame((f) => f.includes('AGENT_NAME'), 'slots of the hostile pool');
    await h.press('y');
    const f = await h.waitForFrame((x) => x.includes('"alias"'), 'raw JSON');
    expect(rawControl(f)).toBe(false);
    expectFits(f, 80, 24);
  });
});

test('y: format characters in a value are JSON escapes, one per UTF-16 unit, so the pane stays valid JSON', async () => {
  const state = demoState();
  // Tag characters spelling "HI" (hidden text), a soft hyphen and a zero-width space, in every alias.
  const alias = 'w\u{e0048}\u{e0049}\u00ad\u200bx';
  for (const b of state.beads) if (b.metadata?.alias) b.metadata.alias = alias;
  h = renderApp(storeWith(state, { rows: 40, columns: 120 }));
  await h.press('2');
  await h.waitForFrame((f) => f.includes('AGENT_NAME'), 'slots');
  await h.press('y');
  const f = await h.waitForFrame((x) => x.includes('"alias"'), 'raw JSON');
  expect(f).toContain('"alias": "w\\udb40\\udc48\\udb40\\udc49\\u00ad\\u200bx"');
  const lines = h.store.getState().ui.inspect!.lines;
  expect(JSON.parse(lines.join('\n')).metadata.alias).toBe(alias);
});

describe('enter: the detail of a row, in full', () => {
  for (const [view, key, title] of [
    ['slots', '2', 'AGENT_NAME'],
    ['aliases', '3', 'HOLDER'],
    ['templates', '4', 'CAPS'],
    ['work', '5', 'ASSIGNEE'],
    ['findings', '8', 'SEVERITY'],
  ] as const)
    test(`${view}: enter opens the pane with every detail line, wrapped at 80×24; esc goes back`, async () => {
      h = renderApp(storeWith(hostileState(), { rows: 24, columns: 80 }));
      await h.press(key);
      await h.waitForFrame((f) => f.includes(title), view);
      await h.press(KEYS.enter);
      const f = await h.waitForFrame((x) => x.includes(`${view} `) && x.includes('esc/q/y close'), `${view} detail`);
      expectFits(f, 80, 24);
      expect(rawControl(f)).toBe(false);
      // The title names the row in words: an alias claim's parts, not its key with NULs (shown as \x00).
      expect(h.store.getState().ui.inspect?.title).not.toContain('\u0000');
      // Nothing is cut with `…` by the pane: every line of the detail is in it, wrapped.
      const s = h.store.getState();
      const lines = s.ui.inspect?.lines ?? [];
      expect(lines.length).toBeGreaterThan(0);
      const body = f.split('\n').slice(3, -2).join(' ').replace(/\s+/g, ' ');
      const want = wrapInspect(lines, 80).slice(0, 10).join(' ').replace(/\s+/g, ' ').trim();
      expect(body).toContain(want.slice(0, 60));
      await h.press(KEYS.esc);
      await h.waitForFrame((x) => x.includes(title), 'back to the list');
    });
});

test('wrapInspect keeps indentation, wraps words, and escapes control characters', () => {
  const out = wrapInspect(['  "title": "one two three four five six",'], 16);
  for (const l of out) expect([...l].length).toBeLessThanOrEqual(16);
  expect(out[0].startsWith('  "title"')).toBe(true);
  expect(out.length).toBeGreaterThan(2);
  expect(out.every((l) => l.startsWith('  '))).toBe(true);
  expect(out.join(' ').replace(/\s+/g, ' ')).toBe(' "title": "one two three four five six",');
  const hostile = wrapInspect(['bell\u0007 and \u001b[2J'], 16);
  expect(rawControl(hostile.join(''))).toBe(false);
});

describe('an escape in a long value is never split across lines', () => {
  /** The escapes clean() shows (`\e`, `\x07`, `\u{202e}`) in `text`. */
  const escapes = (text: string) => text.match(/\\(?:[enrt]|x[0-9a-f]{2}|u\{[0-9a-f]+\})/g) ?? [];

  test('enter on a slot at 80×24: an alias history that runs past the line folds before each escape, not in it', async () => {
    const s = demoState();
    const one = s.beads.find((b) => b.id === 'be-one')!;
    // One word longer than the line, each escape where a fold at 80 cells would fall inside it: `\` | `e`, `\u{2` | `02e}`.
    const history = 'a'.repeat(79) + '\u001b' + 'b'.repeat(75) + '\u202e' + 'c'.repeat(40) + '\u0007';
    one.metadata = { ...one.metadata, alias_history: history };
    h = renderApp(storeWith(s, { rows: 24, columns: 80 }));
    await h.press(':', ...'slots backend/worker', KEYS.enter);
    await h.waitForFrame((x) => /^> .*be-one/m.test(x), 'be-one selected');
    await h.press(KEYS.enter);
    const f = await h.waitForFrame((x) => x.includes('slots be-one (1–') && x.includes('alias history:'), 'the pane');
    expectFits(f, 80, 24);
    expect(rawControl(f)).toBe(false);
    const lines = f.split('\n');
    // Each escape whole on one line, and nothing lost: the lines hold every escape, in order.
    expect(lines.flatMap(escapes)).toEqual(['\\e', '\\u{202e}', '\\x07']);
    expect(lines.find((l) => l.startsWith('aaa'))).toBe('a'.repeat(79));
    expect(lines.find((l) => l.includes('bbb'))).toBe('\\e' + 'b'.repeat(75));
  });

  test('at every width: the pieces join back to the line, and each escape is whole in one of them', () => {
    const line =
      'alias history: ' + 'x'.repeat(7) + '\u001b[2J' + 'y'.repeat(5) + '\u{1f3fd}\u200d\u0301' + 'z'.repeat(3) + '\u202e\u0007\r\n';
    const all = escapes(wrapInspect([line], 10_000).join(''));
    expect(all).toEqual(['\\e', '\\u{1f3fd}', '\\u{200d}', '\\u{301}', '\\u{202e}', '\\x07', '\\r', '\\n']);
    // From the widest escape (9 cells) up: narrower, an escape cannot be whole on any line.
    for (let w = 9; w <= 40; w++) {
      const out = wrapInspect([line], w);
      for (const l of out) expect([...l].length, `at ${w}: ${l}`).toBeLessThanOrEqual(w);
      expect(out.flatMap(escapes), `at ${w}: ${out.join(' | ')}`).toEqual(all);
      expect(out.join('').replace(/ /g, ''), `at ${w}`).toBe(wrapInspect([line], 10_000)[0].replace(/ /g, ''));
    }
  });

  test("y's JSON escapes too: a fold never falls inside `\\u001b`", () => {
    const json = '  "alias_history": "' + 'a'.repeat(20) + '\\u001b[2J' + 'b'.repeat(9) + '\\u202e",';
    for (let w = 12; w <= 40; w++) {
      const out = wrapInspect([json], w);
      const at = out.flatMap((l) => l.match(/\\u[0-9a-f]{4}/g) ?? []);
      expect(at, `at ${w}: ${out.join(' | ')}`).toEqual(['\\u001b', '\\u202e']);
    }
  });
});

describe('c: copy an id', () => {
  test("copies the selected row's id (a repair: its bead) and says so", async () => {
    const copied: string[] = [];
    h = renderApp(storeWith(demoState(), { rows: 24, columns: 80 }), { services: localServices({ copy: (t) => copied.push(t) }) });
    await h.press('2');
    await h.waitForFrame((f) => f.includes('AGENT_NAME') && h!.store.getState().ui.cursors.slots.key !== null, 'slots');
    const bead = h.store.getState().ui.cursors.slots.key!;
    await h.press('c');
    await h.waitForFrame((f) => f.includes(`copied ${bead}`), 'the message');
    expect(copied).toEqual([bead]);
    await h.press('6');
    await h.waitForFrame((f) => f.includes('REASON') && h!.store.getState().ui.cursors.repairs.key !== null, 'repairs');
    const s = h.store.getState();
    const repair = s.current!.plan.repairs.find((r) => r.id === s.ui.cursors.repairs.key)!;
    await h.press('c');
    await h.waitForFrame(() => copied.length === 2, 'second copy');
    expect(copied[1]).toBe(repair.beadId);
  });

  test('an alias copies its holder bead, a finding its subject, an audit entry its bead; the trend view has no c', async () => {
    const copied: string[] = [];
    h = renderApp(storeWith(demoState(), { rows: 24, columns: 80 }), { services: localServices({ copy: (t) => copied.push(t) }) });
    await h.press('3');
    await h.waitForFrame(() => h!.store.getState().ui.view === 'aliases' && h!.store.getState().ui.cursors.aliases.key !== null, 'aliases');
    // An alias row is keyed by its name, kind and holder: what is copied is the holder, a bead id.
    const [, , holder] = h.store.getState().ui.cursors.aliases.key!.split('\u0000');
    expect(holder).toMatch(/^[a-z]/);
    await h.press('c');
    await h.waitForFrame(() => copied.length === 1, 'the alias copy');
    expect(copied[0]).toBe(holder);

    await h.press('8');
    await h.waitForFrame(
      () => h!.store.getState().ui.view === 'findings' && h!.store.getState().ui.cursors.findings.key !== null,
      'findings',
    );
    const s = h.store.getState();
    const finding = s.current!.plan.findings.find(
      (f) => `${f.kind}:${f.beadId ?? f.workId ?? f.template ?? ''}` === s.ui.cursors.findings.key,
    )!;
    await h.press('c');
    await h.waitForFrame(() => copied.length === 2, 'the finding copy');
    expect(copied[1]).toBe(finding.beadId ?? finding.workId);

    h.store.getState().setAudit([
      {
        time: '2026-05-06T02:13:00Z',
        operator: 'tester',
        action: 'reject',
        repair: 'repair-alias:be-evil',
        kind: 'repair-alias',
        beadId: 'be-evil',
        changes: [],
        reason: 'r',
        note: '',
        result: 'recorded',
      },
    ]);
    await h.press('7');
    await h.waitForFrame((f) => f.includes('repair-alias:be-evil') && h!.store.getState().ui.cursors.audit.key !== null, 'audit');
    await h.press('c');
    await h.waitForFrame(() => copied.length === 3, 'the audit copy');
    expect(copied[2]).toBe('be-evil');

    const now = h.store.getState().current!;
    h.store.getState().setTrend({ samples: [sampleOf(now.plan, NOW, 'run1', 0)], session: 'run1' });
    await h.press('9');
    await h.waitForFrame(() => h!.store.getState().ui.view === 'trend' && h!.store.getState().ui.cursors.trend.key !== null, 'trend');
    // A chart has no rows to copy: c is not bound there (keymap `not`), so it copies nothing and says nothing.
    await h.press('c', '?');
    await h.waitForFrame((f) => f.includes('Keys ('), 'the help, after c');
    expect(copied).toHaveLength(3);
    expect(h.store.getState().ui.message).toBeNull();
  });

  test('the OSC 52 payload is the sanitized id: nothing pasted later can carry an escape', () => {
    const seq = osc52(HOSTILE.beadId);
    expect(seq.startsWith('\u001b]52;c;')).toBe(true);
    expect(seq.endsWith('\u0007')).toBe(true);
    const payload = Buffer.from(seq.slice(7, -1), 'base64').toString('utf8');
    expect(rawControl(payload)).toBe(false);
    expect(payload).toContain('id');
    expect([...osc52('x'.repeat(5000))].length).toBeLessThan(1500);
  });
});

test('j/k and PgUp/PgDn scroll the full repair card on a short terminal', async () => {
  h = renderApp(storeWith(demoState(), { rows: 14, columns: 80 }));
  await h.press('6');
  await h.waitForFrame((f) => f.includes('REASON') && h!.store.getState().ui.cursors.repairs.key !== null, 'repairs');
  await h.press(KEYS.enter);
  const more = (f: string) => Number(/… (\d+) more line\(s\) — j\/k scroll/.exec(f)?.[1] ?? 0);
  const first = await h.waitForFrame((f) => f.includes('Repair card') && more(f) > 1, 'a card taller than the terminal');
  expectFits(first, 80, 14);
  await h.press('j');
  const next = await h.waitForFrame((f) => more(f) === more(first) - 1, 'j scrolls one line');
  expectFits(next, 80, 14);
  expect(h.store.getState().ui.cardScroll.top).toBe(1);
  await h.press('k');
  await h.waitForFrame((f) => more(f) === more(first), 'k scrolls back');
  await h.press(KEYS.pgdn, KEYS.pgdn, KEYS.pgdn, KEYS.pgdn);
  await h.waitForFrame((f) => more(f) === 0 && f.includes('Repair card'), 'PgDn reaches the end');
  await h.press(KEYS.esc);
  await h.waitForFrame((f) => f.includes('REASON'), 'back to the queue');
});
