// Rule editions: which Gas City build's rules a plan follows. `2026-05` is PR #2076 (2026-05-15), the rules of
// docs/rules.md and the default; `2026-08` is the fork as of 2026-08 (docs/rules.md says where it differs). Each
// difference is a small named piece in the rule module it belongs to; this table is the one place that says
// which edition uses which piece. plan.ts reads the table and never asks which edition it is.
import type { CityRules } from './model.js';
import { CITY_RULES_2026_05, boundedByAnyMax, routeOrWorkflowTarget } from './model.js';
import type { OrphanRules } from './rules/cross-template.js';
import { ORPHANS_2026_05, ORPHANS_2026_08 } from './rules/cross-template.js';
import type { AliasRules } from './rules/aliases.js';
import { ALIASES_2026_05, ALIASES_2026_08 } from './rules/aliases.js';
import type { DemandChanges, DemandRule } from './rules/desired.js';
import { NO_DEMAND_CHANGES, openWork, readyFrom, readyWork } from './rules/desired.js';
import type { AboveCapacityRule } from './rules/identity.js';
import { canonicalSingleton, keepSlotAboveCapacity, noSlotAboveCapacity } from './rules/identity.js';
import type { StampCheck } from './rules/slots.js';
import { canonicalStampDivergence, noStampCheck } from './rules/slots.js';
import type { SessionNameRule } from './rules/session-names.js';
import { closeDuplicateSessionNames, keepDuplicateSessionNames } from './rules/session-names.js';
import type { RollbackRules } from './rules/rollbacks.js';
import { ROLLBACK_2026_05, ROLLBACK_2026_08 } from './rules/rollbacks.js';
import type { StateRules } from './rules/states.js';
import { START_PENDING, STATES_2026_05, STATES_2026_08 } from './rules/states.js';
import type { State } from './types.js';

export type Edition = '2026-05' | '2026-08';

export const EDITIONS: readonly Edition[] = ['2026-05', '2026-08'];
export const DEFAULT_EDITION: Edition = '2026-05';

export interface EditionRules {
  edition: Edition;
  /** The Gas City build the edition follows, in words. */
  build: string;
  /** model.ts: bounded pools; rules/identity.ts: canonical singleton pools. */
  city: CityRules;
  /** rules/states.ts: known and live states, in-flight beads. */
  states: StateRules;
  /** rules/rollbacks.ts: when a create is stale, and what its rollback writes. */
  rollback: RollbackRules;
  /** rules/aliases.ts: who keeps an alias, contested aliases, the conflict record, the rename note. */
  aliases: AliasRules;
  /** rules/desired.ts: which unassigned work counts as new demand. */
  demand: DemandRule;
  /** rules/desired.ts: when the demand rule can judge an unchanged bead otherwise. */
  demandChangesAt: DemandChanges;
  /** rules/cross-template.ts: which orphaned work R4 releases. */
  orphans: OrphanRules;
  /** rules/slots.ts: findings about the slot stamps. */
  stamps: StampCheck;
  /** rules/session-names.ts: which beads sharing another's session_name are closed. */
  sessionNames: SessionNameRule;
  /** rules/identity.ts: the slot a session resuming assigned work keeps above a shrunk max. */
  aboveCapacity: AboveCapacityRule;
}

export const EDITION_RULES: Readonly<Record<Edition, EditionRules>> = {
  '2026-05': {
    edition: '2026-05',
    build: 'Gas City as of PR #2076 (2026-05-15)',
    city: CITY_RULES_2026_05,
    states: STATES_2026_05,
    rollback: ROLLBACK_2026_05,
    aliases: ALIASES_2026_05,
    demand: openWork,
    demandChangesAt: NO_DEMAND_CHANGES,
    orphans: ORPHANS_2026_05,
    stamps: noStampCheck,
    sessionNames: keepDuplicateSessionNames,
    aboveCapacity: noSlotAboveCapacity,
  },
  '2026-08': {
    edition: '2026-08',
    build: 'Gas City fork as of 2026-08 (singleton identity #2053, start-pending, create leases)',
    city: { bounded: boundedByAnyMax, canonicalSingleton, route: routeOrWorkflowTarget },
    states: STATES_2026_08,
    rollback: ROLLBACK_2026_08,
    aliases: ALIASES_2026_08,
    demand: readyWork,
    demandChangesAt: readyFrom,
    orphans: ORPHANS_2026_08,
    stamps: canonicalStampDivergence,
    sessionNames: closeDuplicateSessionNames,
    aboveCapacity: keepSlotAboveCapacity,
  },
};

export function isEdition(value: unknown): value is Edition {
  return value === '2026-05' || value === '2026-08';
}

/** The rules of an edition; anything that is not an edition is the default. */
export function editionRules(edition: Edition | undefined): EditionRules {
  return EDITION_RULES[isEdition(edition) ? edition : DEFAULT_EDITION];
}

export interface DetectedEdition {
  edition: Edition;
  why: string;
}

export const NO_MARKER = 'no marker of a build newer than PR #2076';

const CANONICAL_KEYS = ['canonical_instance_name', 'canonical_pool_slot'] as const;

const nonEmpty = (v: unknown): boolean => typeof v === 'string' && v !== '';

/**
 * `--rules auto`: `2026-08` when the input shows a build newer than PR #2076, naming the first marker found;
 * else `2026-05`. Markers, in this order: the file was written sealed (`revisions_sealed: true`, passed by the
 * store layer in `state.markers`); then, in file order, a session bead stamped with `canonical_instance_name`
 * or `canonical_pool_slot` (#4064), or in state `start-pending`.
 */
export function detectEdition(state: State): DetectedEdition {
  if (state.markers?.revisions_sealed === true)
    return { edition: '2026-08', why: 'the bead file is sealed (revisions_sealed: true), written by a build newer than PR #2076' };
  for (const b of state.beads) {
    if (b.issue_type !== 'session') continue;
    const md = b.metadata;
    if (!md) continue;
    // Each key read by name (a loop over the keys reads them by value, which is slower at this volume).
    const canonical = nonEmpty(md.canonical_instance_name)
      ? CANONICAL_KEYS[0]
      : nonEmpty(md.canonical_pool_slot)
        ? CANONICAL_KEYS[1]
        : null;
    if (canonical !== null) return { edition: '2026-08', why: `session bead ${b.id} carries ${canonical} (stamped by builds since #4064)` };
    if (md.state === START_PENDING)
      return { edition: '2026-08', why: `session bead ${b.id} is in state start-pending (builds after PR #2076)` };
  }
  return { edition: '2026-05', why: NO_MARKER };
}
