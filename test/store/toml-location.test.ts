import { describe, expect, it } from 'vitest';
import { tomlDeclarationLine, tomlLineOf } from '../../src/store/formats/toml-location.js';

const CITY = [
  '[workspace]', // 1
  'name = "c"', // 2
  'max_active_sessions = 4', // 3
  '', // 4
  '[[agent]]', // 5
  'name = "a"', // 6
  '', // 7
  '[[agent]]', // 8
  'name = "b"', // 9
  'namepool = "names.txt"', // 10
  '', // 11
  '[agent.extra]', // 12
  'namepool = "not this one"', // 13
  '', // 14
  '[[agent]]', // 15
  '  "max_active_sessions" = -1', // 16
].join('\n');

describe('tomlLineOf', () => {
  it('finds a table key, an array entry and a key inside one entry', () => {
    expect(tomlLineOf(CITY, ['workspace', 'max_active_sessions'])).toBe(3);
    expect(tomlLineOf(CITY, ['agent', 0])).toBe(5);
    expect(tomlLineOf(CITY, ['agent', 1, 'namepool'])).toBe(10);
    expect(tomlLineOf(CITY, ['agent', 2, 'max_active_sessions'])).toBe(16);
  });

  it('a key missing from its entry points at the entry, never into the next block', () => {
    expect(tomlLineOf(CITY, ['agent', 0, 'namepool'])).toBe(5);
    expect(tomlLineOf(CITY, ['workspace', 'namepool'])).toBe(1);
  });

  it('null when the table or entry is not there', () => {
    expect(tomlLineOf(CITY, ['agent', 3])).toBeNull();
    expect(tomlLineOf(CITY, ['daemon', 'patrol_interval'])).toBeNull();
    expect(tomlLineOf(CITY, [0])).toBeNull();
  });

  it('answers for the text it is given when texts alternate (no stale index)', () => {
    const other = '[[agent]]\nname = "z"\nnamepool = "p"\n';
    expect(tomlLineOf(other, ['agent', 0, 'namepool'])).toBe(3);
    expect(tomlLineOf(CITY, ['agent', 1, 'namepool'])).toBe(10);
    expect(tomlLineOf(other, ['agent', 1])).toBeNull();
  });

  it('CRLF line ends count like LF', () => {
    expect(tomlLineOf(CITY.replace(/\n/g, '\r\n'), ['agent', 1, 'namepool'])).toBe(10);
  });
});

describe('tomlLineOf under dotted headers', () => {
  const TEXT = [
    '[pack]', // 1
    'name = "p"', // 2
    '[[pack.requires]]', // 3
    'agent = "a"', // 4
    '[[rigs]]', // 5
    'name = "r0"', // 6
    'args = [', // 7
    '  [1, 2],', // 8
    ']', // 9
    '[[rigs.overrides]]', // 10
    'agent = "x"', // 11
    '[[rigs]]', // 12
    'name = "r1"', // 13
    '[ rigs . "overrides" ]', // 14 (no: a second-level table of rig 1 written with spaces and quotes)
    'agent = "y"', // 15
    '[imports.gs]', // 16
    'source = "s"', // 17
    '[workspace]', // 18
    '[pack.extra]', // 19
    'k = 1', // 20
  ].join('\n');
  it('finds an entry of [[a.b]] and its keys, not the [a] above them', () => {
    expect(tomlLineOf(TEXT, ['pack', 'requires', 0, 'agent'])).toBe(4);
    expect(tomlLineOf(TEXT, ['pack', 'requires', 0])).toBe(3);
    expect(tomlLineOf(TEXT, ['pack', 'requires'])).toBe(3);
    // No second entry: the table above it.
    expect(tomlLineOf(TEXT, ['pack', 'requires', 1])).toBe(1);
  });
  it("counts an entry's own tables among the headers under it", () => {
    expect(tomlLineOf(TEXT, ['rigs', 0, 'overrides', 0, 'agent'])).toBe(11);
    expect(tomlLineOf(TEXT, ['rigs', 1, 'overrides', 'agent'])).toBe(15);
    // Rig 1's overrides are a table, not entries; the line found so far answers.
    expect(tomlLineOf(TEXT, ['rigs', 1, 'overrides', 0])).toBe(12);
    expect(tomlLineOf(TEXT, ['rigs', 1, 'name'])).toBe(13);
  });
  it('a table given by the headers under it, a table continued further down, a line of an array that is no header', () => {
    expect(tomlLineOf(TEXT, ['imports'])).toBe(16);
    expect(tomlLineOf(TEXT, ['imports', 'gs', 'source'])).toBe(17);
    expect(tomlLineOf(TEXT, ['pack', 'extra', 'k'])).toBe(20);
    expect(tomlLineOf(TEXT, ['rigs', 0, 'args'])).toBe(7);
  });
});

describe('tomlDeclarationLine', () => {
  const TEXT = [
    '[a]', // 1
    'b.c = 1', // 2
    '"b" . \'d\' = { e = 1 }', // 3
    '[[a."x.y"]]', // 4
    'z = 2 # a.b', // 5
    '# [a.b.c.d]', // 6
  ].join('\n');
  it('the header or key line naming most of the path, quoted parts and array indexes as Gas City spells them', () => {
    expect(tomlDeclarationLine(TEXT, ['a', 'b', 'c'])).toBe(2);
    expect(tomlDeclarationLine(TEXT, ['a', 'b', 'd', 'e'])).toBe(3);
    expect(tomlDeclarationLine(TEXT, ['a', 'x.y', 0, 'z'])).toBe(5);
    expect(tomlDeclarationLine(TEXT, ['a', 'q'])).toBe(1);
    // A line naming more than the path, through it.
    expect(tomlDeclarationLine(TEXT, ['a', 'b'])).toBe(2);
    expect(tomlDeclarationLine(TEXT, ['q'])).toBeNull();
  });
});

describe('lines inside a multi-line string', () => {
  const TEXT = [
    '[[agent]]', // 1
    'a = "\\"\\"\\"" # """', // 2: a one-line string holding three quotes, and a comment: neither opens one
    'b = \'"""\'', // 3: """ inside a literal string
    'c = """', // 4
    '[[agent]]', // 5
    'x = 1', // 6
    '\\"""', // 7: escaped, still open
    '""""', // 8: closes, one quote its own
    "d = '''", // 9
    '[x]', // 10
    "y = 2'''", // 11
    'x = 3', // 12
    '[[agent]]', // 13
    'y = 4', // 14
  ].join('\n');

  it('are no keys or headers: the second [[agent]] is line 13, x of the first line 12', () => {
    expect(tomlLineOf(TEXT, ['agent', 1])).toBe(13);
    expect(tomlLineOf(TEXT, ['agent', 0, 'x'])).toBe(12);
    expect(tomlLineOf(TEXT, ['agent', 1, 'y'])).toBe(14);
    expect(tomlLineOf(TEXT, ['x'])).toBeNull();
    expect(tomlDeclarationLine(TEXT, ['agent', 0, 'y'])).toBe(1);
    expect(tomlDeclarationLine(TEXT, ['x', 'y'])).toBeNull();
  });
});

describe('tomlDeclarationLine counts [[…]] entries', () => {
  const TEXT = [
    '[[a]]', // 1
    '[[a.b]]', // 2
    'k = 1', // 3
    '[[a]]', // 4
    '[[a.b]]', // 5
    '[[a.b]]', // 6
    'k = 1', // 7
    '[a.c]', // 8
    'k = 2', // 9
  ].join('\n');

  it('within the entry above them, a table under an array of tables in its last entry', () => {
    expect(tomlDeclarationLine(TEXT, ['a', 1, 'b', 1, 'k', 0])).toBe(7);
    expect(tomlDeclarationLine(TEXT, ['a', 1, 'b', 0, 'k'])).toBe(5);
    expect(tomlDeclarationLine(TEXT, ['a', 0, 'b', 0, 'k'])).toBe(3);
    expect(tomlDeclarationLine(TEXT, ['a', 1, 'c', 'k'])).toBe(9);
    expect(tomlDeclarationLine(TEXT, ['a', 0, 'c', 'k'])).toBe(1);
  });
});

describe('tomlLineOf at a dotted or quoted key', () => {
  const TEXT = [
    'workspace.name = "c"', // 1
    'daemon . "patrol_interval" = "30s"', // 2
    '[[agent]]', // 3
    'name = "a"', // 4
    'pool.min = 1', // 5
    'pool.max = -1', // 6
    "'max_active_sessions' = 2", // 7
    '"a.b" = 1', // 8
    '[[agent]]', // 9
    'name = "b"', // 10
    '"pool"."max" = 3', // 11
    'limits = { max = 1 }', // 12
    '[[agent]]', // 13
    'name = "c"', // 14
    'pool.min = 0', // 15
    '[agent.pool.extra]', // 16
    'x = 1', // 17
  ].join('\n');

  it("names the key's own line, not its entry's", () => {
    expect(tomlLineOf(TEXT, ['agent', 0, 'pool', 'max'])).toBe(6);
    expect(tomlLineOf(TEXT, ['agent', 0, 'pool', 'min'])).toBe(5);
    expect(tomlLineOf(TEXT, ['agent', 0, 'max_active_sessions'])).toBe(7);
    expect(tomlLineOf(TEXT, ['agent', 1, 'pool', 'max'])).toBe(11);
    // A key holding a dot is one name, not two.
    expect(tomlLineOf(TEXT, ['agent', 0, 'a.b'])).toBe(8);
    expect(tomlLineOf(TEXT, ['agent', 0, 'a', 'b'])).toBe(3);
    // Inside an inline table: the key holding it.
    expect(tomlLineOf(TEXT, ['agent', 1, 'limits', 'max'])).toBe(12);
  });

  it('a top-level table given by dotted keys: its keys and the table itself', () => {
    expect(tomlLineOf(TEXT, ['workspace', 'name'])).toBe(1);
    expect(tomlLineOf(TEXT, ['workspace'])).toBe(1);
    expect(tomlLineOf(TEXT, ['daemon', 'patrol_interval'])).toBe(2);
  });

  it('a key missing from a table given by dotted keys: the line declaring the table; a top-level one that is not there: none', () => {
    expect(tomlLineOf(TEXT, ['workspace', 'max_active_sessions'])).toBe(1);
    expect(tomlLineOf(TEXT, ['agent', 1, 'pool', 'min'])).toBe(11);
    // Past the dotted table, a header under it (TOML lets [agent.pool.extra] add to the pool `pool.min` made).
    expect(tomlLineOf(TEXT, ['agent', 2, 'pool', 'extra', 'x'])).toBe(17);
    expect(tomlLineOf(TEXT, ['agent', 2, 'pool', 'max'])).toBe(15);
    expect(tomlLineOf(TEXT, ['include'])).toBeNull();
    expect(tomlLineOf(TEXT, ['beads', 'provider'])).toBeNull();
  });
});

describe('tomlLineOf inside a value over many lines', () => {
  const TEXT = [
    'agent = [', // 1
    '  { name = "a" },', // 2
    '  # a comment: ] } [ {', // 3
    '  { name = "b", max_active_sessions = -1 },', // 4
    '  {', // 5: an inline table over lines (TOML 1.1, which smol-toml reads)
    '    name = "c",', // 6
    '    pool = { max = 1,', // 7
    '      min = -1 },', // 8
    '  },', // 9
    ']', // 10
    '[workspace]', // 11
    'name = "w"', // 12
    'args = [ "[x]", """', // 13
    '[not.a.header]', // 14
    '""", [', // 15
    '  ["y"],', // 16: an element, no header
    '] ]', // 17
    'max_active_sessions = 1', // 18
  ].join('\n');

  it("an element of an inline array names its own line, and a key inside it the key's", () => {
    expect(tomlLineOf(TEXT, ['agent', 0])).toBe(2);
    expect(tomlLineOf(TEXT, ['agent', 1])).toBe(4);
    expect(tomlLineOf(TEXT, ['agent', 1, 'max_active_sessions'])).toBe(4);
    expect(tomlLineOf(TEXT, ['agent', 2, 'name'])).toBe(6);
    expect(tomlLineOf(TEXT, ['agent', 2, 'pool', 'max'])).toBe(7);
    expect(tomlLineOf(TEXT, ['agent', 2, 'pool', 'min'])).toBe(8);
    expect(tomlLineOf(TEXT, ['workspace', 'args', 1])).toBe(13);
    expect(tomlLineOf(TEXT, ['workspace', 'args', 2, 0])).toBe(16);
  });

  it('what the value does not hold: the line of the deepest part it does', () => {
    expect(tomlLineOf(TEXT, ['agent', 3])).toBe(1);
    expect(tomlLineOf(TEXT, ['agent', 2, 'namepool'])).toBe(5);
    expect(tomlLineOf(TEXT, ['agent', 2, 'pool', 'max', 0])).toBe(7);
  });

  it("the value's lines are no keys or headers of their own", () => {
    expect(tomlLineOf(TEXT, ['workspace', 'max_active_sessions'])).toBe(18);
    expect(tomlLineOf(TEXT, ['y'])).toBeNull();
    expect(tomlDeclarationLine(TEXT, ['y'])).toBeNull();
    expect(tomlDeclarationLine(TEXT, ['not', 'a', 'header'])).toBeNull();
    expect(tomlDeclarationLine(TEXT, ['workspace', 'max_active_sessions'])).toBe(18);
  });
});
