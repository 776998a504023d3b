// What a valid gc-tui store file (and a city's config) looks like. Validation only: we keep the document
// as parsed, so key order and unknown fields survive untouched; zod's output is not used.
// zod is loaded on first use (schemas()), not with this module: a valid input passes the hand-written checks
// of shape.ts and never needs it, and loading zod was a quarter of a headless command's start. zod stays the
// one that words every problem, so messages are the same whichever check saw it first.
import { createRequire } from 'node:module';
import type { z } from 'zod';
import { EDITIONS } from '../../engine/editions.js';
import type { AgentConfig, CityConfig, Bead } from '../../engine/types.js';
import { describeValue, formatJsonPath, valueAtPath } from './json-path.js';
import { JsonNumberText } from './json-text.js';
import { bdOptionalBool, isGoInt, isGoTime } from './bead-check.js';

export const STORE_SCHEMA = 'gc-tui/1';

/** What a Go `int` (priority) takes, worded: also the text check's words (go-int-literals.ts). */
export const GO_INT_MSG = 'must be an integer Gas City can read (a Go int: no fraction or exponent, within ±2^63) or null';
/** What gc takes for bd's is_blocked (bead-check.ts bdOptionalBool), worded. */
export const BD_BOOL_MSG =
  'must be a boolean, an integer or one of "1" "t" "true" "y" "yes" "0" "f" "false" "n" "no" (as gc reads bd\'s is_blocked) or null';

type Zod = typeof z;

let loaded: Zod | undefined;
/** zod itself, loaded on the first call (from node_modules: it is not part of the bundle, scripts/build.mjs). */
export function loadZod(): Zod {
  return (loaded ??= (createRequire(import.meta.url)('zod') as { z: Zod }).z);
}

function buildSchemas(z: Zod) {
  const CAP_MSG = 'must be an integer ≥ 0 or null';
  const cap = z.number({ error: CAP_MSG }).int({ error: CAP_MSG }).min(0, { error: CAP_MSG }).nullable().optional();
  const tomlCap = z
    .number({ error: 'must be an integer ≥ 0' })
    .int({ error: 'must be an integer ≥ 0' })
    .min(0, { error: 'must be an integer ≥ 0' })
    .optional();

  const workspace = z.looseObject({ name: z.string().optional(), max_active_sessions: cap });
  const daemon = z.looseObject({ patrol_interval: z.string().optional() });
  const rig = z.looseObject({ name: z.string().min(1), max_active_sessions: cap, suspended: z.boolean().optional() });
  const agentFields = {
    dir: z.string().optional(),
    max_active_sessions: cap,
    min_active_sessions: cap,
    scale_check: z.string().optional(),
    suspended: z.boolean().optional(),
  };
  const agent = z.looseObject({
    name: z.string().min(1),
    ...agentFields,
    namepool: z.array(z.string()).nullable().optional(),
    namepool_file: z.string().optional(),
  });
  const namedSession = z.looseObject({ template: z.string().min(1), identity: z.string().optional() });

  // null is absent for the optional parts ("everything else has a default"), as Go's decoder leaves a nil slice
  // or map: the engine reads each with its default.
  const city = z.looseObject({
    workspace: workspace.nullable().optional(),
    daemon: daemon.nullable().optional(),
    rigs: z.array(rig).nullable().optional(),
    agents: z.array(agent),
    named_sessions: z.array(namedSession).nullable().optional(),
  });

  const METADATA_MSG = 'metadata values must be strings';
  const bead = z.looseObject({
    id: z.string().min(1),
    // null is absent for these too: Gas City's Go decoder leaves a string or time.Time field at its zero value,
    // and a city file gc-tui reads must also export and import.
    title: z.string().nullable().optional(),
    status: z.string().optional(),
    issue_type: z.string().optional(),
    // null is absent, as Gas City decodes it (Go `*int`); only a non-number is refused (one beyond 2^53 is kept
    // as its digits: a city's priority Go took, exported).
    priority: z
      .custom((v) => typeof v === 'number' || v instanceof JsonNumberText, { error: 'must be a number' })
      .nullable()
      .optional(),
    assignee: z.string().optional(),
    labels: z.array(z.string()).optional(),
    metadata: z.record(z.string(), z.string({ error: METADATA_MSG })).optional(),
    created_at: z.string().nullable().optional(),
    updated_at: z.string().nullable().optional(),
  });

  const decision = z.looseObject({ repair: z.string(), decision: z.string() });

  // null is Gas City's 0: its Go decoder leaves `fileData.Seq` (an int) as it was, and the file is read as it is.
  const seq = z
    .union([z.number().int().min(0), z.instanceof(JsonNumberText), z.null()], { error: 'must be an integer ≥ 0 or null' })
    .optional();

  const storeTop = {
    schema: z.literal(STORE_SCHEMA),
    city,
    demand: z.record(z.string(), z.number().int().min(0)).nullable().optional(),
    seq,
    decisions: z.array(decision).nullable().optional(),
    // The rule edition the store's city runs (CONTRACT.md, revision 5); `--rules auto` follows it (rules.ts).
    rules: z.enum(EDITIONS as readonly [string, ...string[]]).optional(),
  };

  /** The whole store file, beads included: the words of every error. */
  const storeSchema = z.looseObject({ ...storeTop, beads: z.array(bead) });

  /**
   * The store file without its beads, which are checked in one pass (bead-check.ts): zod would copy the array
   * and visit every element. Callers check `Array.isArray(beads)` themselves.
   */
  const storeTopSchema = z.looseObject({ ...storeTop, beads: z.unknown() });

  // city.toml as smol-toml returns it; TOML has no null, so a cap is just an integer ≥ 0.
  const tomlAgentFields = {
    dir: z.string().optional(),
    max_active_sessions: tomlCap,
    min_active_sessions: tomlCap,
    scale_check: z.string().optional(),
    suspended: z.boolean().optional(),
    namepool: z.string().optional(),
  };
  const agentTomlSchema = z.looseObject({ name: z.string().min(1).optional(), ...tomlAgentFields });
  const cityTomlSchema = z.looseObject({
    workspace: z.looseObject({ name: z.string().optional(), max_active_sessions: tomlCap }).optional(),
    daemon: daemon.optional(),
    rigs: z.array(z.looseObject({ name: z.string().min(1), max_active_sessions: tomlCap, suspended: z.boolean().optional() })).optional(),
    agent: z.array(z.looseObject({ name: z.string().min(1), ...tomlAgentFields })).optional(),
    named_session: z
      .array(
        z.looseObject({
          template: z.string().min(1),
          name: z.string().optional(),
          dir: z.string().optional(),
          scope: z.string().optional(),
        }),
      )
      .optional(),
  });

  // beads.json (and a capture) is Gas City's: checked as its Go decoder reads it (bead-check.ts, `any`), which
  // this schema words. A null is the Go zero value; a JSON type the Go field cannot take fails the decoder.
  const goString = z.string().nullable().optional();
  const GO_TIME_MSG = 'must be an RFC 3339 time Gas City can read (e.g. "2026-05-06T02:00:00Z") or null';
  const goTime = z.string({ error: GO_TIME_MSG }).refine(isGoTime, { error: GO_TIME_MSG }).nullable().optional();
  const goStrings = z.array(z.string().nullable()).nullable().optional();
  const goBool = z.boolean().nullable().optional();
  // An optional int in Gas City (Go `*int`): null is absent; a number a Go int cannot hold fails its decoder.
  const goInt = z
    .custom((v) => isGoInt(v), { error: GO_INT_MSG })
    .nullable()
    .optional();
  // Go `[]Dep`: null is none, a null item the zero Dep; other keys of an item are ignored, as Go ignores them.
  const goDeps = z
    .array(z.looseObject({ issue_id: goString, depends_on_id: goString, type: goString }).nullable())
    .nullable()
    .optional();
  const cityBeadFields = {
    id: z.string().min(1),
    title: goString,
    status: goString,
    issue_type: goString,
    assignee: goString,
    description: goString,
    from: goString,
    parent: goString,
    ref: goString,
    priority: goInt,
    labels: goStrings,
    needs: goStrings,
    // Gas City's StringMap: any value is made a string; null is an empty map.
    metadata: z.record(z.string(), z.unknown()).nullable().optional(),
    created_at: goTime,
    updated_at: goTime,
    defer_until: goTime,
    ephemeral: goBool,
    no_history: goBool,
    dependencies: goDeps,
  };
  const cityBead = z.looseObject({ ...cityBeadFields, is_blocked: goBool, close_reason: goString });
  // The file's own `deps` is a Go `[]Dep` too (`fileData.Deps`, `internal/beads/filestore.go`).
  const beadsFileSchema = z.looseObject({ seq, beads: z.array(cityBead).optional(), deps: goDeps });
  // A capture: what both of gc's readers take (bead-check.ts, `capture`): bd's is_blocked, no close_reason.
  const bdIsBlocked = z
    .custom((v) => bdOptionalBool(v) !== null, { error: BD_BOOL_MSG })
    .nullable()
    .optional();
  const captureFileSchema = z.looseObject({ beads: z.array(z.looseObject({ ...cityBeadFields, is_blocked: bdIsBlocked })) });
  /** As beadsFileSchema, with the beads left to the one-pass check. */
  const beadsFileTopSchema = z.looseObject({ seq, beads: z.unknown() });

  return { storeSchema, storeTopSchema, agentTomlSchema, cityTomlSchema, beadsFileSchema, beadsFileTopSchema, captureFileSchema };
}

export type Schemas = ReturnType<typeof buildSchemas>;
let built: Schemas | undefined;
/** The zod schemas (loading zod on the first call). */
export function schemas(): Schemas {
  return (built ??= buildSchemas(loadZod()));
}

export interface SchemaProblem {
  path: PropertyKey[];
  place: string;
  detail: string;
}

function article(word: string): string {
  // zod's `record` is a JSON object (of string keys).
  if (word === 'record') return 'an object';
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

/** A size bound in words: `must not be empty`, `must be ≥ 0`, `must hold at most 3 items`. */
function bound(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string | null {
  const small = issue.code === 'too_small';
  const n = Number(small ? issue.minimum : issue.maximum);
  const inclusive = issue.inclusive !== false;
  if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint')
    return `must be ${small ? (inclusive ? '≥' : '>') : inclusive ? '≤' : '<'} ${n}`;
  const unit = issue.origin === 'string' ? 'character' : issue.origin === 'array' || issue.origin === 'set' ? 'item' : null;
  if (unit === null) return null;
  if (small && n === 1 && inclusive) return 'must not be empty';
  const count = inclusive ? n : small ? n + 1 : n - 1;
  return `must ${unit === 'character' ? 'be' : 'hold'} at ${small ? 'least' : 'most'} ${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** Turn zod's issues into sentences that name what was found, not zod's internals. */
export function describeIssues(doc: unknown, issues: readonly z.core.$ZodIssue[]): SchemaProblem[] {
  return issues.map((issue) => {
    const path = issue.path as PropertyKey[];
    const actual = valueAtPath(doc, path);
    let detail = issue.message;
    if (issue.code === 'invalid_type') {
      if (actual === undefined) detail = 'is required but missing';
      else if (detail.startsWith('Invalid input')) {
        const expected = issue.expected === 'int' ? 'integer' : issue.expected;
        detail = `must be ${article(expected)}, got ${describeValue(actual)}`;
      } else detail = `${detail}, got ${describeValue(actual)}`;
    } else if (issue.code === 'invalid_value') {
      if (actual === undefined) detail = `is required but missing (must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')})`;
      else detail = `must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${describeValue(actual)}`;
    } else if ((issue.code === 'too_small' || issue.code === 'too_big') && detail.startsWith('Too') && bound(issue) !== null) {
      detail = `${bound(issue)}, got ${describeValue(actual)}`;
    } else if (issue.code === 'custom') {
      detail = `${detail}, got ${describeValue(actual)}`;
    } else if (issue.code === 'too_small' || issue.code === 'too_big' || issue.code === 'invalid_union') {
      detail =
        detail.startsWith('Invalid input') || detail.startsWith('Too')
          ? `${detail.replace(/^Invalid input: /, '')}, got ${describeValue(actual)}`
          : `${detail}, got ${describeValue(actual)}`;
    }
    return { path, place: formatJsonPath(path), detail };
  });
}

/** Report the first problem in full and count the rest, so one line still says everything needed. */
export function summarizeProblems(problems: SchemaProblem[]): { place: string; detail: string } {
  const [first] = problems;
  const more =
    problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''}; next at ${problems[1].place})` : '';
  return { place: first.place, detail: first.detail + more };
}

export function qualifiedName(a: Pick<AgentConfig, 'name' | 'dir'>): string {
  return a.dir ? `${a.dir}/${a.name}` : a.name;
}

export interface Duplicate {
  what: 'rig' | 'agent' | 'bead';
  index: number;
  first: number;
  message: string;
}

/** Rules zod cannot see: rig names, qualified template names and bead ids must each be unique. */
export function findDuplicate(cityCfg: CityConfig, beads: Bead[]): Duplicate | null {
  const check = <T>(what: Duplicate['what'], items: T[], key: (t: T) => string, label: string): Duplicate | null => {
    const seen = new Map<string, number>();
    for (const [i, item] of items.entries()) {
      const k = key(item);
      const first = seen.get(k);
      if (first !== undefined) return { what, index: i, first, message: `duplicate ${label} ${JSON.stringify(k)}` };
      seen.set(k, i);
    }
    return null;
  };
  return (
    check('rig', cityCfg.rigs ?? [], (r) => r.name, 'rig name') ??
    check('agent', cityCfg.agents, qualifiedName, 'template') ??
    check('bead', beads, (b) => b.id, 'bead id')
  );
}
