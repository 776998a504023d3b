// A city whose pack.toml is schema 2 keeps no [[agent]] tables in city.toml or in a fragment city.toml includes:
// Gas City refuses such a city (internal/config/compose.go LoadWithIncludesOptions → LegacyV1SurfaceError,
// LegacyInlineAgentSurfaceErrors: "PackV1 config surfaces are no longer supported"), and so does gc-tui, naming the
// file and the line. pack.toml's own [[agent]] tables and agents/<name>/ folders stay the way to declare agents.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCityConfig } from '../../src/store/formats/load-city.js';
import { PACK, PACK1, agentsOf, cityWith, inputError } from '../support/city-dirs.js';

const WS = '[workspace]\nname = "x"\n';
const MOVE = 'move each agent to agents/<name>/agent.toml';

describe('readCityConfig on a schema-2 city (pack.toml [pack] schema = 2)', () => {
  it('refuses [[agent]] tables in city.toml, naming city.toml, the first table’s line and pack.toml’s schema line', () => {
    const dir = cityWith({
      'city.toml': `${WS}\n# the agents\n[[agent]]\nname = "mayor"\n\n[[agent]]\nname = "worker"\n`,
      'pack.toml': PACK,
    });
    const e = inputError(() => readCityConfig(dir));
    expect(e.message).toBe(
      `${join(dir, 'city.toml')}: line 5 (agent[0]): unsupported PackV1 [[agent]] tables in city.toml: the city's pack.toml is schema 2 ` +
        `(${join(dir, 'pack.toml')}: line 3 (pack.schema)), and Gas City refuses the city ("PackV1 config surfaces are no longer supported"); ${MOVE}`,
    );
  });

  it('refuses them in a fragment city.toml includes, naming the fragment and its line', () => {
    const dir = cityWith({
      'city.toml': `include = ["frags/team.toml"]\n${WS}`,
      'frags/team.toml': '# workers\n[[agent]]\nname = "worker"\n',
      'pack.toml': PACK,
    });
    const e = inputError(() => readCityConfig(dir));
    expect(e.file).toBe(join(dir, 'frags', 'team.toml'));
    expect(e.place).toBe('line 2 (agent[0])');
    expect(e.detail).toContain('unsupported PackV1 [[agent]] tables in a fragment city.toml includes (include "frags/team.toml")');
    expect(e.detail).toContain(MOVE);
  });

  it('an inline array of agents (agent = [...]) is refused too: Gas City decodes it into the same field', () => {
    const dir = cityWith({ 'city.toml': `agent = [{ name = "mayor" }]\n${WS}`, 'pack.toml': PACK });
    expect(inputError(() => readCityConfig(dir)).place).toBe('line 1 (agent)');
  });

  it('reads the agents of pack.toml and of agents/<name>/, and a city.toml with no agents (or agent = [])', () => {
    const dir = cityWith({
      'city.toml': `agent = []\n${WS}`,
      'pack.toml': `${PACK}\n[[agent]]\nname = "mayor"\nmax_active_sessions = 1\n`,
      'agents/worker/agent.toml': 'max_active_sessions = 4\n',
    });
    expect(agentsOf(dir)).toEqual([
      ['mayor', 1],
      ['worker', 4],
    ]);
  });

  it('a city whose pack.toml is schema 1, or that has none, keeps its city.toml and fragment [[agent]] tables', () => {
    const files = {
      'city.toml': `include = ["f.toml"]\n${WS}\n[[agent]]\nname = "mayor"\n`,
      'f.toml': '[[agent]]\nname = "worker"\n',
    };
    for (const dir of [cityWith({ ...files, 'pack.toml': PACK1 }), cityWith(files)])
      expect(agentsOf(dir)).toEqual([
        ['mayor', null],
        ['worker', null],
      ]);
  });
});
