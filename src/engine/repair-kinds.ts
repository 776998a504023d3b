// Everything there is to know about a repair kind, in one table: the rule it comes from, what it does to
// the city (its effect), whether approving it asks for confirmation, and whether it can be undone. The
// console's queue, card and confirmations and the headless dry-run summary all read it from here.
import type { Repair, RepairKind } from './types.js';

/** What a repair does, in the words of a plan summary ("3 to change, 2 to close, 1 to unassign"). */
export type RepairEffect = 'change' | 'close' | 'unassign';

export interface RepairKindFacts {
  rule: string;
  title: string;
  effect: RepairEffect;
  /** Closes a bead or takes work away from a session: approving it asks for confirmation. */
  destructive: boolean;
  /** How one undoes it, for the card. */
  undo: string;
  /** The kind's group in a bulk breakdown, singular/plural ("9 close beads, 2 alias fixes"). */
  group: readonly [string, string];
  /** Why no Gas City command can make it on a city gc-tui writes through gc (src/store/gc); absent = it can. */
  notThroughGc?: string;
}

export const REPAIR_KINDS: Record<RepairKind, RepairKindFacts> = {
  'backfill-template': {
    rule: 'R1',
    title: 'template of a bead',
    effect: 'change',
    destructive: false,
    undo: 'yes — by a reverse edit of the fields above',
    group: ['template backfill', 'template backfills'],
  },
  'close-duplicate': {
    rule: 'R3',
    title: 'one bead per slot, never retag',
    effect: 'close',
    destructive: true,
    undo: 'no — the bead is closed (a closed bead is history; reopening it is a manual edit)',
    group: ['close bead', 'close beads'],
  },
  'close-duplicate-session-name': {
    rule: 'R3',
    title: 'one open bead per session_name (2026-08 rules)',
    effect: 'close',
    destructive: true,
    undo: 'no — the bead is closed (a closed bead is history; reopening it is a manual edit)',
    group: ['close bead', 'close beads'],
    notThroughGc:
      'gc session close also stops the runtime named by the session_name and releases the work assigned to it, and the bead that stays open shares that name; Gas City closes this duplicate itself on its next tick',
  },
  'unassign-cross-template-work': {
    rule: 'R4',
    title: 'no cross-template resume',
    effect: 'unassign',
    destructive: true,
    undo: 'no — the assignment is lost; the work is routed afresh',
    group: ['unassign work', 'unassign work'],
  },
  'release-orphaned-work': {
    rule: 'R4',
    title: 'release orphaned work',
    effect: 'unassign',
    destructive: true,
    undo: 'no — the assignment is lost; the work is routed afresh',
    group: ['unassign work', 'unassign work'],
  },
  'repair-alias': {
    rule: 'R5',
    title: 'alias anchored to identity',
    effect: 'change',
    destructive: false,
    undo: 'yes — by a reverse edit of the fields above',
    group: ['alias fix', 'alias fixes'],
  },
  'clear-conflicting-alias': {
    rule: 'R5',
    title: 'clear a conflicting alias, record the conflict',
    effect: 'change',
    destructive: false,
    undo: 'yes — by a reverse edit of the fields above',
    group: ['alias fix', 'alias fixes'],
  },
  'canonical-identity': {
    rule: 'R5',
    title: 'singleton pool identified by its bare name (2026-08 rules)',
    effect: 'change',
    destructive: false,
    undo: 'yes — by a reverse edit of the fields above',
    group: ['alias fix', 'alias fixes'],
  },
  'restamp-slot': {
    rule: 'R6',
    title: 'slot stamp',
    effect: 'change',
    destructive: false,
    undo: 'yes — by a reverse edit of the fields above',
    group: ['slot restamp', 'slot restamps'],
  },
  'rollback-stale-create': {
    rule: 'R8',
    title: 'stale creates and the rollback budget',
    effect: 'close',
    destructive: true,
    undo: 'no — the bead is closed as failed-create; the pool creates a fresh session if demand remains',
    group: ['close bead', 'close beads'],
  },
};

/** Kinds in rule order. */
export const KIND_ORDER: readonly RepairKind[] = [
  'backfill-template',
  'close-duplicate',
  'close-duplicate-session-name',
  'unassign-cross-template-work',
  'release-orphaned-work',
  'repair-alias',
  'clear-conflicting-alias',
  'canonical-identity',
  'restamp-slot',
  'rollback-stale-create',
];

export function isDestructive(r: Pick<Repair, 'kind'>): boolean {
  return REPAIR_KINDS[r.kind].destructive;
}

/** How many repairs of each effect: the numbers of "3 to change, 2 to close, 1 to unassign". */
export function effectCounts(repairs: readonly Pick<Repair, 'kind'>[]): Record<RepairEffect, number> {
  const out: Record<RepairEffect, number> = { change: 0, close: 0, unassign: 0 };
  for (const r of repairs) out[REPAIR_KINDS[r.kind].effect]++;
  return out;
}

/** "14 repairs: 9 close beads, 3 unassign work, 2 alias fixes" (groups largest first, then rule order). */
export function breakdown(repairs: readonly Pick<Repair, 'kind'>[]): string {
  const counts = new Map<string, { n: number; rank: number; group: readonly [string, string] }>();
  for (const r of repairs) {
    const f = REPAIR_KINDS[r.kind];
    const key = f.group[0];
    const c = counts.get(key) ?? { n: 0, rank: KIND_ORDER.indexOf(r.kind), group: f.group };
    c.n++;
    counts.set(key, c);
  }
  const parts = [...counts.values()]
    .sort((a, b) => b.n - a.n || a.rank - b.rank)
    .map((c) => `${c.n} ${c.n === 1 ? c.group[0] : c.group[1]}`);
  const head = `${repairs.length} repair${repairs.length === 1 ? '' : 's'}`;
  return parts.length ? `${head}: ${parts.join(', ')}` : head;
}
