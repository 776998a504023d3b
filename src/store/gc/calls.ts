// A repair on a city whose beads gc-tui does not own (bd, exec:…, scope-local rigs, a capture) becomes the
// ordered list of Gas City's own conditional commands, never a write around Gas City. What upstream offers
// (gastownhall/gascity, checked in its source; docs/store-format.md cites each place):
// - `gc --city DIR beads metadata-cas <id> --store-ref=city:<name>|rig:<name> --key=K --expected=OLD --next=NEW
//   --json`: one metadata key per call, written only while it still holds OLD; answers one JSON line whose
//   `outcome` is `swapped`, `already_next` or `conflict`, exit 0 for all three (cmd/gc/cmd_beads_metadata_cas.go).
//   An empty OLD matches an absent key or an empty one; NEW cannot delete a key, only empty it.
// - `gc bd --city DIR release-if-current <id> <assignee>`: status in_progress → open and the assignee cleared, only
//   while the bead is in_progress with exactly that assignee; prints `released` or `skipped` (cmd/gc/cmd_bd.go,
//   internal/beads/bdstore_conditional_release.go).
// - `gc --city DIR session close <id>`: stops the runtime and closes the session bead. It has no condition of its
//   own, so it comes last, after every metadata write of the repair has been accepted by compare-and-set.
// No I/O here: the calls are data, run by writer.ts or written out by script.ts.
import { basename, join, resolve } from 'node:path';
import { REPAIR_KINDS } from '../../engine/repair-kinds.js';
import type { Change, CityConfig, Repair } from '../../engine/types.js';
import { sessionClassBackend } from '../formats/beads-provider.js';
import { siteWorkspaceName } from '../formats/load-city.js';
import type { BeadScopes } from '../formats/scope-stores.js';

export type GcCallKind = 'metadata-cas' | 'release-if-current' | 'session-close';

export interface GcCall {
  kind: GcCallKind;
  /** The arguments after `gc`, exactly as run (no shell ever parses them). */
  args: string[];
  /** The repair's changes this call writes. */
  changes: Change[];
}

/** What a repair becomes: its calls in order, or why no conditional gc command can make it. */
export type RepairCalls = { repair: Repair; calls: GcCall[] } | { repair: Repair; refused: string };

/** The city the calls go to: its absolute directory and the store references metadata-cas takes. */
export interface GcTarget {
  dir: string;
  /** `city:<name>`'s name: `[workspace] name`, else the directory's name (upstream `loadedCityName`). */
  cityName: string;
  /** Rigs by bead id prefix, for `rig:<name>`: `[[rigs]] prefix`, else derived from the name. */
  rigsByPrefix: Map<string, string>;
  /** Which store each bead was read from, when gc-tui read the stores itself (a city whose rigs keep their own stores). */
  scopes?: BeadScopes;
  /** A split city's session class backend (`[beads.classes.sessions] backend`): its `gcs-` beads have no store reference gc-tui knows. */
  sessionBackend?: string;
}

/**
 * Gas City's `DeriveBeadsPrefix` (gascity-formats §5): drop a `-py`/`-go` suffix, split on `-`/`_` or camel case;
 * two parts or more give their initials, else the name itself up to 3 characters, else its first 2; lower case.
 */
export function derivePrefix(name: string): string {
  const base = name.replace(/-(py|go)$/, '');
  const parts = base
    .split(/[-_]/)
    .flatMap((p) => p.split(/(?<=[a-z0-9])(?=[A-Z])/))
    .filter((p) => p !== '');
  if (parts.length >= 2)
    return parts
      .map((p) => p[0])
      .join('')
      .toLowerCase();
  const one = parts[0] ?? base;
  return (one.length <= 3 ? one : one.slice(0, 2)).toLowerCase();
}

function stringField(o: unknown, key: string): string | null {
  const v = o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

export function gcTargetOf(dir: string, config: CityConfig, scopes?: BeadScopes): GcTarget {
  const abs = resolve(dir);
  const sessionBackend = sessionClassBackend(config, join(abs, 'city.toml'));
  const rigsByPrefix = new Map<string, string>();
  for (const rig of config.rigs ?? []) {
    const prefix = stringField(rig, 'prefix') ?? derivePrefix(rig.name);
    if (!rigsByPrefix.has(prefix)) rigsByPrefix.set(prefix, rig.name);
  }
  return {
    dir: abs,
    // As Gas City names the city (config.EffectiveCityName): the site binding, else [workspace] name, else the directory.
    cityName: siteWorkspaceName(abs) ?? stringField(config.workspace, 'name') ?? basename(abs),
    rigsByPrefix,
    ...(scopes ? { scopes } : {}),
    ...(sessionBackend !== null ? { sessionBackend } : {}),
  };
}

/**
 * Where a bead lives, as gc names it: the store reference and the id inside that store. Read from the stores
 * themselves (target.scopes): the store it was read from (a scoped `rig:<name>/<id>` becomes `rig:<name>` and
 * `<id>`). Else guessed from the id's prefix (the part before the first `-`): a rig's, else the city's; `known`
 * says which.
 */
export function beadStoreOf(beadId: string, target: GcTarget): { store: string; id: string; rig: string | null; known: boolean } {
  if (target.scopes) {
    const r = target.scopes.rigBeads[beadId];
    return r
      ? { store: `rig:${r.rig}`, id: r.id, rig: r.rig, known: true }
      : { store: `city:${target.cityName}`, id: beadId, rig: null, known: true };
  }
  const dash = beadId.indexOf('-');
  const rig = dash > 0 ? target.rigsByPrefix.get(beadId.slice(0, dash)) : undefined;
  return rig !== undefined
    ? { store: `rig:${rig}`, id: beadId, rig, known: false }
    : { store: `city:${target.cityName}`, id: beadId, rig: null, known: false };
}

/** The store reference of a bead (beadStoreOf). */
export function storeRefOf(beadId: string, target: GcTarget): string {
  return beadStoreOf(beadId, target).store;
}

// Upstream's own limits (cmd_beads_metadata_cas.go): ids, keys and store names are safe tokens; values are UTF-8
// of at most 64 KiB. A repair outside them is refused here rather than sent to fail there.
const SAFE_TOKEN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const MAX_ID = 512;
const MAX_KEY = 256;
const MAX_STORE_NAME = 255;
const MAX_VALUE_BYTES = 64 * 1024;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// Go's unicode.IsSpace: release-if-current refuses an id or assignee holding any.
const GO_SPACE = /[\s\u0085]/;

function safeToken(s: string, max: number): boolean {
  return s.length <= max && SAFE_TOKEN.test(s);
}

function valueProblem(what: string, v: string): string | null {
  if (LONE_SURROGATE.test(v)) return `${what} is not valid UTF-8`;
  if (Buffer.byteLength(v, 'utf8') > MAX_VALUE_BYTES) return `${what} is longer than gc's 64 KiB`;
  return null;
}

type Where = ReturnType<typeof beadStoreOf>;

function metadataCas(c: Change, where: Where, target: GcTarget): GcCall | string {
  const key = c.field.slice('metadata.'.length);
  if (!safeToken(key, MAX_KEY)) return `metadata key ${JSON.stringify(key)} is not one gc beads metadata-cas accepts`;
  const expected = c.before ?? '';
  const next = c.after ?? '';
  const bad = valueProblem(`the value of ${key}`, expected) ?? valueProblem(`the new value of ${key}`, next);
  if (bad) return bad;
  const store = where.store;
  if (!safeToken(store.slice(store.indexOf(':') + 1), MAX_STORE_NAME))
    return `the store name ${JSON.stringify(store)} is not one gc beads metadata-cas accepts`;
  // `--flag=value` keeps an empty value explicit and a value starting with `-` from being read as a flag.
  return {
    kind: 'metadata-cas',
    args: [
      '--city',
      target.dir,
      'beads',
      'metadata-cas',
      where.id,
      `--store-ref=${store}`,
      `--key=${key}`,
      `--expected=${expected}`,
      `--next=${next}`,
      '--json',
    ],
    changes: [c],
  };
}

/** The assignee release of unassign-cross-template-work and release-orphaned-work, when gc can make it conditional. */
function release(where: Where, assignee: Change, status: Change | undefined, target: GcTarget): GcCall | string {
  const held = assignee.before ?? '';
  if (assignee.after !== '' && assignee.after !== null) return 'gc has no conditional command that moves work to another assignee';
  if (!status || status.before !== 'in_progress' || status.after !== 'open')
    return 'gc bd release-if-current releases only in_progress work (it sets it open); this work is not in_progress';
  if (held === '' || GO_SPACE.test(held)) return `gc bd release-if-current cannot name the assignee ${JSON.stringify(held)}`;
  // A bead read from a rig's own store is released in that store (`gc bd --rig`), never one found by its id.
  const rig = where.known && where.rig !== null ? ['--rig', where.rig] : [];
  if (rig.length && !safeToken(where.rig!, MAX_STORE_NAME)) return `gc bd --rig cannot name the rig ${JSON.stringify(where.rig)}`;
  return {
    kind: 'release-if-current',
    args: ['bd', '--city', target.dir, ...rig, 'release-if-current', where.id, held],
    changes: [assignee, status],
  };
}

/**
 * The gc calls of one repair, in the order they are made: every metadata key (one compare-and-set each, in the
 * repair's order), then the close; a release comes before the keys. Refused, with the reason, when a change has no conditional gc
 * command (a reopen without an assignee, a status other than a close, a field other than metadata) or breaks
 * gc's limits.
 */
export function callsFor(repair: Repair, target: GcTarget): RepairCalls {
  const notThroughGc = REPAIR_KINDS[repair.kind]?.notThroughGc;
  if (notThroughGc) return { repair, refused: notThroughGc };
  const where = beadStoreOf(repair.beadId, target);
  // A scoped name from a saved plan whose repeat has gone since: it names no bead read now.
  if (target.scopes && where.id === repair.beadId && repair.beadId.startsWith('rig:'))
    return { repair, refused: `${repair.beadId} names no bead read now (its id no longer repeats across stores): plan again` };
  // metadata-cas never searches another store, so a guess would fail there; said here, before anything runs.
  if (target.sessionBackend !== undefined && where.id.startsWith('gcs-'))
    return {
      repair,
      refused: `${where.id} is in the split session store ([beads.classes.sessions] backend = ${JSON.stringify(target.sessionBackend)}), which has no store reference gc-tui knows`,
    };
  if (!safeToken(where.id, MAX_ID) || GO_SPACE.test(where.id))
    return { repair, refused: `the bead id ${JSON.stringify(where.id)} is not one gc's write commands accept` };
  const calls: GcCall[] = [];
  // The release or the close: the one call without a compare-and-set of its own, so it goes last.
  let last: GcCall | string | null = null;
  const assignee = repair.changes.find((c) => c.field === 'assignee');
  const status = repair.changes.find((c) => c.field === 'status');
  for (const c of repair.changes) {
    let call: GcCall | string;
    if (c.field.startsWith('metadata.')) call = metadataCas(c, where, target);
    else if (c.field === 'status' && assignee)
      continue; // made by the release, with the assignee
    else if (c.field === 'assignee') call = last = release(where, c, status, target);
    else if (c.field === 'status' && c.after === 'closed')
      // `gc session close` takes an id alone: one that is in more than one store could close another bead.
      call = last =
        where.id !== repair.beadId
          ? `gc session close names a bead by its id alone, and ${JSON.stringify(where.id)} is in more than one store`
          : { kind: 'session-close', args: ['--city', target.dir, 'session', 'close', where.id], changes: [c] };
    else if (c.field === 'status')
      call =
        `no conditional gc command sets status ${JSON.stringify(c.after ?? '')} (${JSON.stringify(c.before ?? '')} before)` +
        (c.before === 'in_progress' && c.after === 'open' ? ' without an assignee to release' : '');
    else call = `no gc command writes ${JSON.stringify(c.field)}`;
    if (typeof call === 'string') return { repair, refused: call };
    if (call !== last) calls.push(call);
  }
  if (!last || typeof last === 'string') return { repair, calls };
  // A conditional release goes first, as Gas City releases and then empties the session affinity: when the work was
  // claimed again meanwhile, the release is skipped and nothing of the new claim's is emptied.
  return { repair, calls: last.kind === 'release-if-current' ? [last, ...calls] : [...calls, last] };
}

/** A call in a few words, for messages: `gc beads metadata-cas hq-1 --key=alias`, `gc session close hq-1`. */
export function callLabel(call: GcCall, beadId: string): string {
  if (call.kind === 'metadata-cas') return `gc beads metadata-cas ${beadId} --key=${call.changes[0].field.slice('metadata.'.length)}`;
  return call.kind === 'session-close' ? `gc session close ${beadId}` : `gc bd release-if-current ${beadId}`;
}

/** callsFor for each repair. */
export function callsForAll(repairs: readonly Repair[], target: GcTarget): RepairCalls[] {
  return repairs.map((r) => callsFor(r, target));
}
