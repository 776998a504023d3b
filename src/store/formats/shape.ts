// Hand-written checks of the small objects of an input (a store's top level, a beads file's top level, a
// city.toml or agent.toml table): the fast path that lets a valid input through without loading zod. Each is
// at least as strict as its zod schema in schema.ts (a property test holds them to it): when one says no,
// the caller asks the zod schema, which decides and words the problem.
import { isEdition } from '../../engine/editions.js';
import { STORE_SCHEMA } from './schema.js';
import { JsonNumberText } from './json-text.js';

type Check = (v: unknown) => boolean;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString: Check = (v) => typeof v === 'string';
const isName: Check = (v) => typeof v === 'string' && v.length > 0;
const isBoolean: Check = (v) => typeof v === 'boolean';
const isCount: Check = (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isCap: Check = (v) => v === null || isCount(v);

/** An absent key, or one `check` accepts. */
const optional =
  (check: Check): Check =>
  (v) =>
    v === undefined || check(v);
const arrayOf =
  (check: Check): Check =>
  (v) =>
    Array.isArray(v) && v.every(check);
/** An object (unknown keys allowed) whose listed keys pass their checks. */
const objectWith =
  (fields: Record<string, Check>): Check =>
  (v) => {
    if (!isObject(v)) return false;
    for (const key in fields) if (!fields[key](v[key])) return false;
    return true;
  };

const workspace = objectWith({ name: optional(isString), max_active_sessions: optional(isCap) });
const daemon = objectWith({ patrol_interval: optional(isString) });
const rig = objectWith({ name: isName, max_active_sessions: optional(isCap), suspended: optional(isBoolean) });
const agentFields = {
  dir: optional(isString),
  max_active_sessions: optional(isCap),
  min_active_sessions: optional(isCap),
  scale_check: optional(isString),
  suspended: optional(isBoolean),
};
const agent = objectWith({ name: isName, ...agentFields, namepool: optional(arrayOf(isString)), namepool_file: optional(isString) });
const namedSession = objectWith({ template: isName, identity: optional(isString) });
const city = objectWith({
  workspace: optional(workspace),
  daemon: optional(daemon),
  rigs: optional(arrayOf(rig)),
  agents: arrayOf(agent),
  named_sessions: optional(arrayOf(namedSession)),
});
const demand: Check = (v) => isObject(v) && Object.values(v).every(isCount);
const seq: Check = (v) => v === undefined || v === null || isCount(v) || v instanceof JsonNumberText;
const decision = objectWith({ repair: isString, decision: isString });

/** A store file's top level (its beads are checked by bead-check.ts): storeTopSchema. */
export const isStoreTop = objectWith({
  schema: (v) => v === STORE_SCHEMA,
  city,
  demand: optional(demand),
  seq,
  decisions: optional(arrayOf(decision)),
  rules: optional(isEdition),
  // Present, whatever it holds: zod's `unknown` key is still a required one.
  beads: (v) => v !== undefined,
});

/** A city's beads.json top level (its beads are checked by bead-check.ts): beadsFileTopSchema. */
export const isBeadsFileTop = objectWith({ seq, beads: (v) => v !== undefined });

// city.toml and agent.toml as smol-toml returns them: TOML has no null, so a cap is an integer ≥ 0.
const tomlAgentFields = {
  dir: optional(isString),
  max_active_sessions: optional(isCount),
  min_active_sessions: optional(isCount),
  scale_check: optional(isString),
  suspended: optional(isBoolean),
  namepool: optional(isString),
};

/** An agent.toml: agentTomlSchema. */
export const isAgentToml = objectWith({ name: optional(isName), ...tomlAgentFields });

/** A city.toml (or pack.toml): cityTomlSchema. */
export const isCityToml = objectWith({
  workspace: optional(objectWith({ name: optional(isString), max_active_sessions: optional(isCount) })),
  daemon: optional(daemon),
  rigs: optional(arrayOf(objectWith({ name: isName, max_active_sessions: optional(isCount), suspended: optional(isBoolean) }))),
  agent: optional(arrayOf(objectWith({ name: isName, ...tomlAgentFields }))),
  named_session: optional(
    arrayOf(objectWith({ template: isName, name: optional(isString), dir: optional(isString), scope: optional(isString) })),
  ),
});
