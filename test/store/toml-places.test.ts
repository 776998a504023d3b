// The line a refusal names for a key under a dotted header (`[[rigs.overrides]]`, `[[patches.agent]]`,
// `[pack.requires]`, `[rigs.includes]`), read from city files on disk: the locator once answered the line of the
// table above it (the rig's `[[rigs]]`, `[pack]`) or no line at all.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCityConfig } from '../../src/store/formats/load-city.js';
import { PACK, cityWith, inputError } from '../support/city-dirs.js';

const WS = '[workspace]\nname = "x"\n';
const TOO_BIG = '9007199254740993';

/** The file (relative to the city) and place the city's read is refused at. */
function refusedAt(files: Record<string, string>): { file: string; place: string | null } {
  const dir = cityWith(files);
  const e = inputError(() => readCityConfig(dir));
  return { file: e.file.slice(dir.length + 1), place: e.place };
}

describe('where a refusal points under a dotted header', () => {
  it("a key of the second rig's [[rigs.overrides]]: its own line, not the rig's", () => {
    const cityToml = `${WS}\n[[rigs]]\nname = "a"\npath = "/a"\n\n[[rigs.overrides]]\nagent = "dog"\n\n[[rigs]]\nname = "b"\npath = "/b"\n\n[[rigs.overrides]]\nagent = "dog"\nmax_active_sessions = ${TOO_BIG}\n`;
    expect(refusedAt({ 'city.toml': cityToml })).toEqual({
      file: 'city.toml',
      place: 'line 17 (rigs[1].overrides[0].max_active_sessions)',
    });
  });

  it('[rigs.overrides] written as one table, in a fragment: the fragment and that header', () => {
    const fragment = `[[rigs]]\nname = "a"\npath = "/a"\n\n[rigs.overrides]\nagent = "dog"\n`;
    expect(refusedAt({ 'city.toml': `include = ["frags/rigs.toml"]\n${WS}`, 'frags/rigs.toml': fragment })).toEqual({
      file: join('frags', 'rigs.toml'),
      place: 'line 5 (rigs[0].overrides)',
    });
  });

  it('[rigs.includes] written as a table: that header', () => {
    const cityToml = `${WS}\n[[rigs]]\nname = "a"\npath = "/a"\n\n[[rigs]]\nname = "b"\npath = "/b"\n\n[rigs.includes]\nx = "packs/p"\n`;
    expect(refusedAt({ 'city.toml': cityToml })).toEqual({ file: 'city.toml', place: 'line 12 (rigs[1].includes)' });
  });

  it("pack.toml's [pack.requires] written as one table: that header, not [pack]'s", () => {
    const packToml = `${PACK}\n[pack.requires]\nagent = "dog"\nscope = "city"\n`;
    expect(refusedAt({ 'city.toml': WS, 'pack.toml': packToml })).toEqual({ file: 'pack.toml', place: 'line 5 (pack.requires)' });
  });

  it("a key of an imported pack's [[patches.agent]]: that pack's file and the key's line", () => {
    const packToml = `${PACK}\n[[agent]]\nname = "dog"\n\n[[patches.agent]]\nname = "dog"\nmax_active_sessions = ${TOO_BIG}\n`;
    expect(refusedAt({ 'city.toml': `${WS}\n[imports.gs]\nsource = "packs/gs"\n`, 'packs/gs/pack.toml': packToml })).toEqual({
      file: join('packs', 'gs', 'pack.toml'),
      place: 'line 10 (patches.agent[0].max_active_sessions)',
    });
  });
});

describe('where a refusal points at a dotted or quoted key', () => {
  it("a rig override's pool.min written dotted: its own line, not the [[rigs.overrides]] header", () => {
    const cityToml = `${WS}\n[[rigs]]\nname = "a"\npath = "/a"\n\n[[rigs.overrides]]\nagent = "dog"\npool.min = 1.5\n`;
    expect(refusedAt({ 'city.toml': cityToml })).toEqual({ file: 'city.toml', place: 'line 10 (rigs[0].overrides[0].pool.min)' });
  });

  it('a top-level dotted key (workspace.max_active_sessions = …): its line, where no line was named', () => {
    const cityToml = `workspace.name = "x"\nworkspace.max_active_sessions = ${TOO_BIG}\n`;
    expect(refusedAt({ 'city.toml': cityToml })).toEqual({ file: 'city.toml', place: 'line 2 (workspace.max_active_sessions)' });
  });

  it('a key in literal quotes in an agent: its own line', () => {
    const cityToml = `${WS}\n[[agent]]\nname = "dog"\n'max_active_sessions' = ${TOO_BIG}\n`;
    expect(refusedAt({ 'city.toml': cityToml })).toEqual({ file: 'city.toml', place: 'line 6 (agent[0].max_active_sessions)' });
  });

  it("the second rig's [rigs.imports.x]: its own source line, not the first rig's of the same binding", () => {
    const rig = (name: string, source: string) =>
      `\n[[rigs]]\nname = "${name}"\npath = "/${name}"\n\n[rigs.imports.gt]\nsource = ${source}\n`;
    const cityToml = `${WS}${rig('a', '"packs/gt"')}${rig('b', '3')}`;
    expect(refusedAt({ 'city.toml': cityToml, 'packs/gt/pack.toml': PACK })).toEqual({
      file: 'city.toml',
      place: 'line 16 (rigs[1].imports.gt.source)',
    });
  });

  it('a key missing from [pack] given by dotted keys: the line declaring it; with no [pack] at all, the file alone', () => {
    expect(refusedAt({ 'city.toml': WS, 'pack.toml': 'pack.schema = 2\n' })).toEqual({ file: 'pack.toml', place: 'line 1 (pack)' });
    expect(refusedAt({ 'city.toml': WS, 'pack.toml': '[[agent]]\nname = "dog"\n' })).toEqual({ file: 'pack.toml', place: null });
  });
});

describe('where a refusal points past a multi-line string', () => {
  it('an agent whose """…""" string holds a [[agent]] line and the key: the key\'s own line, after the string', () => {
    const cityToml = `${WS}\n[[agent]]\nname = "dog"\nnudge = """\n[[agent]]\nmax_active_sessions = 1\n"""\nmax_active_sessions = ${TOO_BIG}\n`;
    expect(refusedAt({ 'city.toml': cityToml })).toEqual({ file: 'city.toml', place: 'line 10 (agent[0].max_active_sessions)' });
  });

  it("[workspace]'s key after a '''…''' string holding the same key: its own line", () => {
    const cityToml = `[workspace]\nname = "x"\nnudge = '''\nmax_active_sessions = 2\n  [workspace]\n'''\nmax_active_sessions = ${TOO_BIG}\n`;
    expect(refusedAt({ 'city.toml': cityToml })).toEqual({ file: 'city.toml', place: 'line 7 (workspace.max_active_sessions)' });
  });

  it('the second [[agent]] of a pack.toml after a string holding [[agent]] lines: its own header, counted as the second', () => {
    const packToml = `${PACK}\n[[agent]]\nname = "a"\nnudge = """\n[[agent]]\nname = \\"""b\\"""\n[[agent]]\n"""\n\n[[agent]]\nname = "c"\nmax_active_sessions = ${TOO_BIG}\n`;
    expect(refusedAt({ 'city.toml': `${WS}\n[imports.gs]\nsource = "packs/gs"\n`, 'packs/gs/pack.toml': packToml })).toEqual({
      file: join('packs', 'gs', 'pack.toml'),
      place: 'line 15 (agent[1].max_active_sessions)',
    });
  });
});

describe('where a refusal points inside an inline array over many lines', () => {
  it("a key of a rig's second inline override: that element's line, not the `overrides = [` line", () => {
    const cityToml = `${WS}\n[[rigs]]\nname = "a"\npath = "/a"\noverrides = [\n  { agent = "dog" },\n  { agent = "cat", max_active_sessions = ${TOO_BIG} },\n]\n`;
    expect(refusedAt({ 'city.toml': cityToml })).toEqual({ file: 'city.toml', place: 'line 9 (rigs[0].overrides[1].max_active_sessions)' });
  });
});

describe("where a refusal points when the locator's fallback answers", () => {
  it("a value nested too deep in the fourth [[agent]]: that entry's line, not the first entry with the key", () => {
    const agents = ['a', 'b', 'c'].map((n) => `[[agent]]\nname = "${n}"\nx = 1\n`).join('\n');
    const cityToml = `${WS}\n${agents}\n[[agent]]\nname = "d"\nx = ${'['.repeat(999)}${']'.repeat(999)}\n`;
    expect(refusedAt({ 'city.toml': cityToml })).toEqual({ file: 'city.toml', place: 'line 18' });
  });
});
