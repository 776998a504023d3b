// R5: alias repair anchored to the concrete identity of the owned slot; clear and record a conflict.
import type { CityModel, NameIndex, Template } from '../model.js';
import { CLAIM_KINDS, identityOf } from '../model.js';
import type { Bead, Change, Finding, Repair } from '../types.js';
import { compareBytes, conflictWrites, formatInstant, meta, metaBefore, inQuotes } from '../values.js';

export interface AliasCandidate {
  /** Session index (NameIndex claims are by session index). */
  i: number;
  bead: Bead;
  template: Template;
  slot: number;
  /** Refused duplicates of the same slot (session indexes): they never count against the incumbent. */
  sameSlotDuplicates: readonly number[];
  /** In an unknown state: judged, but the repair is withheld. */
  withheld: boolean;
}

export interface AliasOutcome {
  beadId: string;
  wanted: string;
  /** Who holds the wanted alias, in words, when it is unavailable. */
  holder: string | null;
  repair: Repair | null;
  finding: Finding | null;
}

const CONFLICT_KEYS = ['pool_alias_conflict', 'pool_alias_conflict_count', 'pool_alias_conflict_at'] as const;

/** The parts of R5 that depend on the rule edition (src/engine/editions.ts picks them). */
export interface AliasRules {
  /** Who keeps the wanted alias from the candidate, in words; null when it is available. */
  holder: typeof holderOf;
  /** Re-check a bead whose alias already is its identity: is another bead holding the same name? */
  recheckHeld: boolean;
  /** The conflict keys a failed repair records. */
  conflictRecord(bead: Bead, wanted: string, now: Date): Change[];
  /** What Gas City does besides the write when the alias of a started session changes ('' = nothing). */
  renameNote(bead: Bead): string;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * `text` as Go's strconv.Atoi reads it on a 64-bit machine: a signed decimal within int64, else 0 (Gas City reads
 * Atoi's error, a range error too, as 0). A count at int64's top wraps on + 1 in Go; that one value is not followed.
 */
function atoi(text: string): bigint {
  if (!/^[+-]?\d+$/.test(text)) return 0n;
  const v = BigInt(text);
  return v < INT64_MIN || v > INT64_MAX ? 0n : v;
}

/** PR #2076: `pool_alias_conflict` = wanted, count + 1 (Go's Atoi; anything else counts as 0), at = now. */
export function recordConflictAlways(bead: Bead, wanted: string, now: Date): Change[] {
  const prev = meta(bead, 'pool_alias_conflict_count');
  const count = atoi(prev) + 1n;
  return conflictWrites([
    { field: 'metadata.pool_alias_conflict', before: metaBefore(bead, 'pool_alias_conflict'), after: wanted },
    { field: 'metadata.pool_alias_conflict_count', before: metaBefore(bead, 'pool_alias_conflict_count'), after: String(count) },
    { field: 'metadata.pool_alias_conflict_at', before: metaBefore(bead, 'pool_alias_conflict_at'), after: formatInstant(now) },
  ]);
}

/**
 * 2026-08 (`recordAliasConflict` in syncSessionBeads, cmd/gc/session_beads.go): nothing while the same conflict
 * is on record (`pool_alias_conflict` = wanted and a count set); else as before, a count that is not a positive
 * number starting again at 0.
 */
export function recordConflictOnce(bead: Bead, wanted: string, now: Date): Change[] {
  if (meta(bead, 'pool_alias_conflict').trim() === wanted && meta(bead, 'pool_alias_conflict_count').trim() !== '') return [];
  const prev = atoi(meta(bead, 'pool_alias_conflict_count').trim());
  return conflictWrites([
    { field: 'metadata.pool_alias_conflict', before: metaBefore(bead, 'pool_alias_conflict'), after: wanted },
    {
      field: 'metadata.pool_alias_conflict_count',
      before: metaBefore(bead, 'pool_alias_conflict_count'),
      after: String((prev > 0n ? prev : 0n) + 1n),
    },
    { field: 'metadata.pool_alias_conflict_at', before: metaBefore(bead, 'pool_alias_conflict_at'), after: formatInstant(now) },
  ]);
}

/** PR #2076: an alias write is only that. */
export function noRenameNote(): string {
  return '';
}

/**
 * 2026-08 (`queueAliasChangeDriftRebaseline`, #2462): when Gas City renames a started session (one with a
 * `started_config_hash`) it also moves its config-drift baseline; written from outside, the new alias can read as
 * config drift and drain the session.
 */
export function rebaselineNote(bead: Bead): string {
  if (meta(bead, 'started_config_hash').trim() === '') return '';
  return 'this session has started (started_config_hash is set): Gas City re-baselines its config hashes when it renames it itself; written from outside, the alias change can read as config drift and drain the session';
}

/**
 * 2026-08: a managed pool bead claims its alias as the name's owner (`EnsureAliasAvailableWithConfigForOwner`,
 * internal/session): only another open bead's `session_name` or `alias` keeps it, not an `agent_name`, not a
 * named-session reservation, and not a bead in state failed-create (its identity is released).
 */
export function holderAsOwner(
  _city: CityModel,
  names: NameIndex,
  beads: readonly Bead[],
  c: AliasCandidate,
  wanted: string,
  handed: Map<string, string>,
): string | null {
  let holder: { id: string; kind: string } | null = null;
  const claims = names.claims(wanted);
  for (let k = 0; k < claims.length; k += 2) {
    const kind = CLAIM_KINDS[claims[k + 1]];
    const b = beads[claims[k]];
    if (kind === 'agent_name' || b.id === c.bead.id || meta(b, 'state').trim() === 'failed-create') continue;
    if (c.sameSlotDuplicates.some((d) => beads[d].id === b.id)) continue;
    if (!holder || compareBytes(b.id, holder.id) < 0) holder = { id: b.id, kind };
  }
  if (holder) return `held by ${holder.id} as ${holder.kind}`;
  const earlier = handed.get(wanted);
  if (earlier !== undefined && earlier !== c.bead.id) return `handed to ${earlier} earlier in this plan`;
  return null;
}

export const ALIASES_2026_05: AliasRules = {
  holder: holderOf,
  recheckHeld: false,
  conflictRecord: recordConflictAlways,
  renameNote: noRenameNote,
};

export const ALIASES_2026_08: AliasRules = {
  holder: holderAsOwner,
  recheckHeld: true,
  conflictRecord: recordConflictOnce,
  renameNote: rebaselineNote,
};

function holderOf(
  city: CityModel,
  names: NameIndex,
  beads: readonly Bead[],
  c: AliasCandidate,
  wanted: string,
  handed: Map<string, string>,
): string | null {
  if (city.namedIdentities.has(wanted)) return `reserved for named session ${wanted}`;
  // The lowest bead id is named, so the message does not depend on file order.
  let holder: { id: string; kind: string } | null = null;
  const claims = names.claims(wanted);
  for (let k = 0; k < claims.length; k += 2) {
    const id = beads[claims[k]].id;
    if (id === c.bead.id || c.sameSlotDuplicates.some((d) => beads[d].id === id)) continue;
    if (!holder || compareBytes(id, holder.id) < 0) holder = { id, kind: CLAIM_KINDS[claims[k + 1]] };
  }
  if (holder) return `held by ${holder.id} as ${holder.kind}`;
  const earlier = handed.get(wanted);
  if (earlier !== undefined && earlier !== c.bead.id) return `handed to ${earlier} earlier in this plan`;
  return null;
}

function pushHistory(bead: Bead, old: string): Change {
  const history = meta(bead, 'alias_history');
  return { field: 'metadata.alias_history', before: metaBefore(bead, 'alias_history'), after: history ? `${old},${history}` : old };
}

/**
 * Candidates must come in template config order, then slot, then bead id; `beads` are the open session
 * beads the candidates' and claims' indexes point into. A candidate whose alias already is the wanted one
 * has no outcome: the caller may leave it out.
 */
export function planAliases(
  city: CityModel,
  names: NameIndex,
  beads: readonly Bead[],
  candidates: AliasCandidate[],
  now: Date,
  rules: AliasRules = ALIASES_2026_05,
): AliasOutcome[] {
  const handed = new Map<string, string>();
  const out: AliasOutcome[] = [];
  for (const c of candidates) {
    const { bead, template } = c;
    const wanted = identityOf(template, c.slot);
    const alias = meta(bead, 'alias');
    const slotWords = `owned slot ${c.slot} of ${template.qualified}`;
    if (alias === wanted) {
      const held = rules.recheckHeld ? rules.holder(city, names, beads, c, wanted, handed) : null;
      if (held === null) {
        if (rules.recheckHeld && !c.withheld) handed.set(wanted, bead.id);
        out.push({ beadId: bead.id, wanted, holder: null, repair: null, finding: null });
        continue;
      }
      // 2026-08: a contested alias is cleared and the conflict recorded, every tick it is contested.
      out.push(
        clearConflict(
          bead,
          template,
          wanted,
          held,
          [clearAlias(bead), ...rules.conflictRecord(bead, wanted, now)],
          `${slotWords}: its alias ${wanted} is contested, ${held}: clear it and record the conflict`,
        ),
      );
      continue;
    }
    const holder = rules.holder(city, names, beads, c, wanted, handed);
    if (holder === null) {
      if (!c.withheld) handed.set(wanted, bead.id);
      const changes: Change[] = [{ field: 'metadata.alias', before: metaBefore(bead, 'alias'), after: wanted }];
      if (alias) changes.push(pushHistory(bead, alias));
      for (const key of CONFLICT_KEYS) {
        const before = metaBefore(bead, key);
        if (before !== null) changes.push({ field: `metadata.${key}`, before, after: null });
      }
      out.push({
        beadId: bead.id,
        wanted,
        holder: null,
        finding: null,
        repair: {
          id: `repair-alias:${bead.id}`,
          kind: 'repair-alias',
          beadId: bead.id,
          template: template.qualified,
          changes,
          reason: `${slotWords}: alias ${alias ? inQuotes(alias) : '(empty)'} → ${wanted} (available)` + withNote(rules.renameNote(bead)),
        },
      });
      continue;
    }
    const record = rules.conflictRecord(bead, wanted, now);
    if (alias) {
      const count =
        record.find((ch) => ch.field === 'metadata.pool_alias_conflict_count')?.after ?? meta(bead, 'pool_alias_conflict_count');
      out.push(
        clearConflict(
          bead,
          template,
          wanted,
          holder,
          [clearAlias(bead), ...record],
          `${slotWords} wants alias ${wanted}, ${holder}: clear the wrong alias ${inQuotes(alias)} and record the conflict (attempt ${count})` +
            (record.length === 0 ? '; the conflict is already on record, its count stays' : ''),
        ),
      );
      continue;
    }
    if (record.length > 0 && rules.recheckHeld) {
      // 2026-08: an empty alias whose conflict is not yet on record gets it recorded (recordAliasConflict).
      out.push(
        clearConflict(
          bead,
          template,
          wanted,
          holder,
          record,
          `${slotWords} wants alias ${wanted}, ${holder}: the bead has no alias; record the conflict`,
        ),
      );
      continue;
    }
    const since = meta(bead, 'pool_alias_conflict_at');
    const count = meta(bead, 'pool_alias_conflict_count');
    out.push({
      beadId: bead.id,
      wanted,
      holder,
      repair: null,
      finding: {
        kind: 'alias-conflict',
        severity: 'action',
        beadId: bead.id,
        template: template.qualified,
        message: `${slotWords} wants alias ${wanted}, ${holder}; the bead stays without an alias${count ? ` (conflict count ${count}${since ? ` since ${since}` : ''})` : ''}`,
      },
    });
  }
  return out;
}

/** The change that empties a bead's alias. */
function clearAlias(bead: Bead): Change {
  return { field: 'metadata.alias', before: metaBefore(bead, 'alias'), after: '' };
}

/** A bead's outcome when its alias is cleared (or stays empty) and the conflict with `holder` is recorded. */
function clearConflict(bead: Bead, template: Template, wanted: string, holder: string, changes: Change[], reason: string): AliasOutcome {
  return {
    beadId: bead.id,
    wanted,
    holder,
    finding: null,
    repair: {
      id: `clear-conflicting-alias:${bead.id}`,
      kind: 'clear-conflicting-alias',
      beadId: bead.id,
      template: template.qualified,
      changes,
      reason,
    },
  };
}

function withNote(note: string): string {
  return note ? `; ${note}` : '';
}
