// docs/keys.md is checked against the key registry (src/ui/keymap.ts), so the page cannot drift from the
// console: every binding must have its row (its scope's section, its action, exactly its keys as the footer
// labels them, the read-only mark on decisions), and every row must still be a binding.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { VIEW_IDS } from '../../src/console/ui-state.js';
import { commandNames } from '../../src/ui/actions.js';
import { BINDINGS, helpOf, keyLabel, type Binding, type Scope } from '../../src/ui/keymap.js';

const DOC = 'docs/keys.md';
const text = readFileSync(join(import.meta.dirname, '../..', DOC), 'utf8');

const READ_ONLY_MARK = '*(not in --read-only)*';

interface DocRow {
  scope: string;
  keys: string[];
  help: string;
  action: string;
  line: number;
}

/** Code spans of a table cell: `a` `b` → ['a', 'b']. */
function spans(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
}

/** The key rows of the page: a `## … scope \`x\`` heading opens a section; its table rows are `| keys | what | action |`. */
function docRows(): DocRow[] {
  const rows: DocRow[] = [];
  let scope: string | null = null;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    const heading = /^#{2,} .*\bscope `([^`]+)`/.exec(line);
    if (heading) {
      scope = heading[1];
      return;
    }
    if (/^#{2,} /.test(line)) {
      scope = null;
      return;
    }
    if (scope === null || !line.startsWith('|')) return;
    const cells = line
      .slice(1, -1)
      .split('|')
      .map((c) => c.trim());
    if (cells.length !== 3 || cells[0] === 'keys' || /^-+$/.test(cells[0])) return;
    const [keys, help, action] = cells;
    rows.push({ scope, keys: spans(keys), help, action: spans(action)[0] ?? action, line: i + 1 });
  });
  return rows;
}

/** The row a binding should have, as markdown, for the failure message. */
function rowFor(b: Binding): string {
  const keys = b.keys.map((k) => `\`${keyLabel(k)}\``).join(' ');
  return `(under scope \`${b.scope}\`) | ${keys} | ${helpOf(b.help)}${b.decision ? ` ${READ_ONLY_MARK}` : ''} | \`${b.action}\` |`;
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');

describe(DOC, () => {
  const rows = docRows();

  test('has a row for every binding of the registry, with exactly its keys', () => {
    const problems: string[] = [];
    for (const b of BINDINGS) {
      const row = rows.find((r) => r.scope === b.scope && r.action === b.action);
      const labels = b.keys.map(keyLabel);
      if (!row) problems.push(`missing: ${rowFor(b)}`);
      else if (!sameSet(row.keys, labels))
        problems.push(`line ${row.line}: ${b.action} lists ${row.keys.join(' ')}; the registry binds ${labels.join(' ')}`);
    }
    expect(problems, `${DOC} is out of date with src/ui/keymap.ts`).toEqual([]);
  });

  test('lists no binding the registry does not have', () => {
    const known = new Set(BINDINGS.map((b) => `${b.scope} ${b.action}`));
    const stale = rows
      .filter((r) => !known.has(`${r.scope} ${r.action}`))
      .map((r) => `line ${r.line}: scope ${r.scope}, action ${r.action}`);
    expect(stale, `${DOC} lists keys the console no longer has`).toEqual([]);
    const seen = new Set<string>();
    const twice = rows.filter((r) => (seen.has(`${r.scope} ${r.action}`) ? true : (seen.add(`${r.scope} ${r.action}`), false)));
    expect(
      twice.map((r) => `line ${r.line}: ${r.action}`),
      'a binding listed twice',
    ).toEqual([]);
  });

  test('marks the review decisions (hidden and refused in --read-only), and only them', () => {
    const wrong: string[] = [];
    for (const b of BINDINGS) {
      const row = rows.find((r) => r.scope === b.scope && r.action === b.action);
      if (row && row.help.includes(READ_ONLY_MARK) !== !!b.decision)
        wrong.push(`line ${row.line}: ${b.action} ${b.decision ? 'needs' : 'must not have'} ${READ_ONLY_MARK}`);
    }
    expect(wrong).toEqual([]);
  });

  test('has one section per scope that has bindings', () => {
    const scopes = new Set<Scope>(BINDINGS.map((b) => b.scope));
    const headed = new Set([...text.matchAll(/^#{2,} .*\bscope `([^`]+)`/gm)].map((m) => m[1]));
    expect([...scopes].filter((s) => !headed.has(s))).toEqual([]);
  });

  test('names every view and its `:` command', () => {
    for (const view of VIEW_IDS) expect(text, `:${view}`).toContain(`\`:${view}\``);
  });

  test('every command the `:` line runs is named in the `?` help and on this page', () => {
    const help = helpOf(BINDINGS.find((b) => b.action === 'command')?.help ?? '');
    const named = new Set(help.replace(/^[^:]*:/, '').split(/[\s,]+/));
    expect(
      commandNames().filter((c) => !named.has(c)),
      'missing from the help of `:`',
    ).toEqual([]);
    expect(
      commandNames().filter((c) => !text.includes(`\`:${c}`)),
      `missing from ${DOC}`,
    ).toEqual([]);
  });
});
