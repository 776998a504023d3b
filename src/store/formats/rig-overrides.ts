// A rig's `[[rigs.overrides]]` and `[[rigs.patches]]`: changes to the agents its own packs brought, applied as Gas
// City applies them (internal/config/pack.go applyOverrides, applyAgentOverride; deferred in compose.go until after
// the city's [[patches.agent]]). Each names an agent by its bare name (`agent = "polecat"`) among that rig's pack
// agents, the first of that name; the keys gc-tui applies are the plan's, as for a patch, and `dir`, which moves the
// agent (`dir = "ops"`: `ops/gs.refinery`). One whose agent is not there is an error, as Gas City refuses the city.
import { checkFields, patched } from './agent-patches.js';
import type { Declared } from './city-agents.js';
import type { RigSite } from './city-imports.js';
import { tomlPlace, isTable, type Table } from './city-toml.js';
import { InputError } from '../types.js';

const KINDS = ['overrides', 'patches'] as const;
type Kind = (typeof KINDS)[number];

const listOf = (rig: Table, kind: Kind): unknown[] => (Array.isArray(rig[kind]) ? (rig[kind] as unknown[]) : []);

/**
 * The agents with every rig's overrides, then its patches, applied to the agents of its own packs; `sites[i]` says
 * where rig i is declared (city.toml or a fragment), for the places a refusal names.
 */
export function applyRigOverrides(agents: Declared[], rigs: readonly Table[], sites: readonly RigSite[]): Declared[] {
  const out = [...agents];
  rigs.forEach((rig, i) => {
    const { site, index } = sites[i];
    for (const kind of KINDS) {
      if (rig[kind] !== undefined && !Array.isArray(rig[kind]))
        throw new InputError(
          site.file,
          tomlPlace(site.text, ['rigs', index, kind]),
          `${kind} must be an array of tables ([[rigs.${kind}]])`,
        );
      listOf(rig, kind).forEach((ov, k) => {
        const bad = (key: PropertyKey[], why: string) =>
          new InputError(site.file, tomlPlace(site.text, ['rigs', index, kind, k, ...key]), why);
        if (!isTable(ov)) throw bad([], `a [[rigs.${kind}]] entry must be a table`);
        if (typeof ov.agent !== 'string' || ov.agent === '')
          throw bad(
            ['agent'],
            `needs agent: the name of the agent of this rig's packs it changes (Gas City: "${kind}[${k}]: agent name is required")`,
          );
        if (ov.dir !== undefined && typeof ov.dir !== 'string') throw bad(['dir'], 'must be a string');
        checkFields(ov, bad);
        const j = out.findIndex((d) => d.rigPack === i && d.name === ov.agent);
        if (j < 0)
          throw bad(
            [],
            `agent ${JSON.stringify(ov.agent)} is not among the agents of rig ${JSON.stringify(rig.name)}'s packs: Gas City refuses the city (${kind}[${k}]: not found in pack)`,
          );
        const table = patched(out[j].table, ov);
        if (typeof ov.dir === 'string') table.dir = ov.dir;
        out[j] = { ...out[j], table };
      });
    }
  });
  return out;
}
