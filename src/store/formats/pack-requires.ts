// A pack's `[[pack.requires]]`: the agents it needs beside it, checked once the city is composed as Gas City checks
// them. A requirement at city scope, of any pack the city takes (its includes and imports, theirs in turn, its own
// pack.toml), needs an agent of that bare name among all the city's agents, rigs' included, after the patches and
// the rigs' overrides (compose.go validateCityRequirements). One at rig scope, of a pack a rig takes, needs one
// among the agents that same include or import brings to that rig (pack.go expandPacks). Gas City refuses a city
// that misses one; so does gc-tui, naming the requirement's line, unless a pack or fragment it left out (a remote
// one: warned of) might bring the agent — any, for a city requirement; for a rig one, one that same include or import
// reaches (PackLoad.partial) — then it says so of each it misses and goes on. A requirement with a bad scope or no agent was refused
// before (legacy-surfaces.ts checkPackHeader).
import type { Declared } from './city-agents.js';
import { isTable, tomlPlace, type Table } from './city-toml.js';
import { InputError, type InputWarning } from '../types.js';

/** Where a text is: its file and the place in it. */
interface At {
  file: string;
  place: string;
}

export interface Requirement {
  agent: string;
  scope: string;
  at: At;
}

/** The `[[pack.requires]]` entries of one pack.toml, in order. */
export function requirementsOf(file: string, text: string, data: Table): Requirement[] {
  const list = isTable(data.pack) && Array.isArray(data.pack.requires) ? (data.pack.requires as unknown[]) : [];
  return list.flatMap((r, i) =>
    isTable(r) && typeof r.agent === 'string'
      ? [{ agent: r.agent, scope: String(r.scope ?? ''), at: { file, place: tomlPlace(text, ['pack', 'requires', i]) } }]
      : [],
  );
}

/**
 * The requirements of `scope` that no agent of `agents` meets (by its bare name): the first refused, in Gas City's
 * words (`gasCity`), as Gas City stops at it; where `partial` (a pack gc-tui left out might bring them), a warning for
 * each, since Gas City goes past every one that pack meets and may stop at any of the others.
 */
function check(
  requires: readonly Requirement[],
  scope: 'city' | 'rig',
  agents: readonly { name: string }[],
  why: (r: Requirement) => { own: string; gasCity: string },
  partial: boolean,
  warnings: InputWarning[],
): void {
  const names = new Set(agents.map((a) => a.name));
  const missed = requires.filter((r) => r.scope === scope && !names.has(r.agent));
  if (missed.length > 0 && !partial) {
    const { own, gasCity } = why(missed[0]);
    throw new InputError(missed[0].at.file, missed[0].at.place, `${own}: Gas City refuses the city ("${gasCity}")`);
  }
  for (const missing of missed) {
    const { own, gasCity } = why(missing);
    warnings.push({
      text: `${missing.at.file}: ${missing.at.place}: ${own} among those this plan read; Gas City refuses the city unless a pack or fragment gc-tui left out (warned of above) brings it ("${gasCity}")`,
      brief: `${scope} agent ${JSON.stringify(missing.agent)} a pack requires is not among those read`,
    });
  }
}

/** validateCityRequirements over the city's composed agents. */
export function checkCityRequirements(
  requires: readonly Requirement[],
  agents: readonly Declared[],
  partial: boolean,
  warnings: InputWarning[],
): void {
  check(
    requires,
    'city',
    agents,
    (r) => ({
      own: `the pack requires the city agent ${JSON.stringify(r.agent)}, and the composed city has no agent of that name`,
      gasCity: `pack requires city agent ${JSON.stringify(r.agent)} — include a pack that provides it`,
    }),
    partial,
    warnings,
  );
}

/** expandPacks's check of one include (`binding` undefined) or import of rig `rig` over the agents it brings. */
export function checkRigRequirements(
  requires: readonly Requirement[],
  agents: readonly { name: string }[],
  rig: string,
  binding: string | undefined,
  partial: boolean,
  warnings: InputWarning[],
): void {
  check(
    requires,
    'rig',
    agents,
    (r) => ({
      own: `the pack requires the rig agent ${JSON.stringify(r.agent)}, and the ${binding === undefined ? 'packs' : `import ${JSON.stringify(binding)}`} of rig ${JSON.stringify(rig)} bring${binding === undefined ? '' : 's'} no agent of that name`,
      gasCity:
        binding === undefined
          ? `rig ${JSON.stringify(rig)}: pack requires rig agent ${JSON.stringify(r.agent)} — include a pack that provides it`
          : `rig ${JSON.stringify(rig)}: import ${JSON.stringify(binding)} requires rig agent ${JSON.stringify(r.agent)} — not found`,
    }),
    partial,
    warnings,
  );
}
