// R5: alias repair anchored to the concrete identity of the owned slot; clear and record a conflict.
import type { BeadIndex, CityModel, Template } from '../model.js';
import { identityOf } from '../model.js';
import type { Bead, Change, Finding, Repair } from '../types.js';
import { compareBytes, formatInstant, meta, metaBefore } from '../values.js';

export interface AliasCandidate {
  bead: Bead;
  template: Template;
  slot: number;
  /** Refused duplicates of the same slot: they never count against the incumbent. */
  sameSlotDuplicates: ReadonlySet<string>;
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

function holderOf(city: CityModel, index: BeadIndex, c: AliasCandidate, wanted: string, handed: Map<string, string>): string | null {
  if (city.namedIdentities.has(wanted)) return `reserved for named session ${wanted}`;
  // The lowest bead id is named, so the message does not depend on file order.
  let holder: { id: string; kind: string } | null = null;
  for (const claim of index.claims.get(wanted) ?? []) {
    if (claim.bead.id === c.bead.id || c.sameSlotDuplicates.has(claim.bead.id)) continue;
    if (!holder || compareBytes(claim.bead.id, holder.id) < 0) holder = { id: claim.bead.id, kind: claim.kind };
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

/** Candidates must come in template config order, then slot. */
export function planAliases(city: CityModel, index: BeadIndex, candidates: AliasCandidate[], now: Date): AliasOutcome[] {
  const handed = new Map<string, string>();
  const out: AliasOutcome[] = [];
  for (const c of candidates) {
    const { bead, template } = c;
    const wanted = identityOf(template, c.slot);
    const alias = meta(bead, 'alias');
    if (alias === wanted) {
      out.push({ beadId: bead.id, wanted, holder: null, repair: null, finding: null });
      continue;
    }
    const holder = holderOf(city, index, c, wanted, handed);
    const slotWords = `owned slot ${c.slot} of ${template.qualified}`;
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
          reason: `${slotWords}: alias ${alias ? `"${alias}"` : '(empty)'} → ${wanted} (available)`,
        },
      });
      continue;
    }
    if (alias) {
      // Read as Go's strconv.Atoi would: a signed decimal; anything else counts as 0.
      const prev = meta(bead, 'pool_alias_conflict_count');
      const count = (/^[+-]?\d+$/.test(prev) ? BigInt(prev) : 0n) + 1n;
      out.push({
        beadId: bead.id,
        wanted,
        holder,
        finding: null,
        repair: {
          id: `clear-conflicting-alias:${bead.id}`,
          kind: 'clear-conflicting-alias',
          beadId: bead.id,
          template: template.qualified,
          // A key that already holds its new value is no change, the time stamp apart (src/engine/rules/aliases.ts conflictWrites()).
          changes: [
            { field: 'metadata.alias', before: metaBefore(bead, 'alias'), after: '' },
            { field: 'metadata.pool_alias_conflict', before: metaBefore(bead, 'pool_alias_conflict'), after: wanted },
            { field: 'metadata.pool_alias_conflict_count', before: metaBefore(bead, 'pool_alias_conflict_count'), after: String(count) },
            { field: 'metadata.pool_alias_conflict_at', before: metaBefore(bead, 'pool_alias_conflict_at'), after: formatInstant(now) },
          ].filter((c) => c.before !== c.after || c.field === 'metadata.pool_alias_conflict_at'),
          reason: `${slotWords} wants alias ${wanted}, ${holder}: clear the wrong alias "${alias}" and record the conflict (attempt ${count})`,
        },
      });
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
