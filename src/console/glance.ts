// The first look at a read: what the console's first frame shows (the header's figures and the pools view),
// made where the plan is made. At 100 000 beads the read's state and plan take a second and more to be packed,
// sent and unpacked on the console's thread; this is a few kilobytes, sent as soon as the plan is made, so the
// operator sees the figures and the pools while the beads are on their way (the other views wait for them).
// The pools view's rows are made from the same values once the beads are here (ui/rows/pools.ts), so the
// first frame and the ones after it agree.
import { eachBeadFacts, slotPlaces, type BeadFacts, type DetectedEdition } from '../engine/index.js';
import type { BeadInfo, Metrics, Plan, PoolPlan, State, TemplateDetail } from '../engine/types.js';

export interface PoolHealth {
  duplicates: number;
  mismatched: number;
  /**
   * Beads whose pool_slot the plan restamps (R6, BeadInfo.stalePoolSlot): drift, as `check` counts it; not one whose
   * restamp is withheld (its rejection stands, or its state is unknown: withheldAs).
   */
  stalePoolSlots: number;
  /** Beads whose empty template the plan backfills (R1, BeadInfo.templateBackfill); not one withheld, as above. */
  backfills: number;
  conflicts: number;
  outOfBounds: number;
  stale: number;
  inFlight: number;
  crossTemplate: number;
  orphaned: number;
  unknownState: number;
}

/** One row of the pools view, as figures. */
export interface PoolGlance {
  template: string;
  bounded: boolean;
  /** The agent's own max_active_sessions (null when unset), as `check --json` has it. */
  max: number | null;
  /** The size of the agent's namepool (0: none): a bound of its own (DOMAIN: at most min(max, names)). */
  names: number;
  min: number;
  desired: number;
  /** Slots held (the pool's slot entries). */
  held: number;
  /** Live beads that own a slot and are no refused duplicate. */
  live: number;
  duplicates: string[];
  health: PoolHealth;
}

export interface Glance {
  /** When the input was read and planned (ms since epoch). */
  at: number;
  rules?: DetectedEdition;
  /** The city's workspace name, when it has one. */
  city: string | null;
  beads: number;
  metrics: Metrics;
  repairs: number;
  findings: number;
  pools: PoolGlance[];
  /** The plan's per-template detail (one entry per template): the pools view's detail lines. */
  templates: TemplateDetail[];
}

function emptyHealth(): PoolHealth {
  return {
    duplicates: 0,
    mismatched: 0,
    stalePoolSlots: 0,
    backfills: 0,
    conflicts: 0,
    outOfBounds: 0,
    stale: 0,
    inFlight: 0,
    crossTemplate: 0,
    orphaned: 0,
    unknownState: 0,
  };
}

/** Why a repair a bead's flags ask for (a restamp, a backfill) is not in the plan: an operator rejected it, or withheld. */
export type Held = 'rejected' | 'withheld';

/**
 * Whether the repair `id` (`<kind>:<bead id>`) that a bead's flags ask for is withheld, and why: a rejection that
 * stands (the plan's detail lists it), else withheld (a bead in an unknown state gets no repair: DOMAIN); null when
 * `proposed` (the ids of the plan's repairs) has it.
 */
export function withheldAs(id: string, proposed: ReadonlySet<string>, rejected: ReadonlySet<string>): Held | null {
  return proposed.has(id) ? null : rejected.has(id) ? 'rejected' : 'withheld';
}

/** The ids of a plan's repairs, and of those withheld by a rejection (withheldAs). */
export function repairIds(plan: Pick<Plan, 'repairs' | 'detail'>): { proposed: Set<string>; rejected: Set<string> } {
  return {
    proposed: new Set(plan.repairs.map((r) => r.id)),
    rejected: new Set(plan.detail.rejected.map((x) => x.repair.id)),
  };
}

/** What the pools view counts of a template's beads. */
export interface Tally {
  health: PoolHealth;
  live: number;
}

/**
 * The tally of each template's beads (by `template`, '' for none) and work problems of `plan`, in one pass that keeps
 * no list of beads. `infos`: the values of its bead details when they are at hand (the console's unpacked plan).
 */
export function tallies(plan: Plan, infos?: readonly BeadInfo[]): Map<string, Tally> {
  const steps = tallySteps(plan, infos);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Details tallied between two of tallySteps' yields: a few milliseconds. */
const TALLY_STEP = 5000;

/**
 * The same tally in steps of TALLY_STEP details, for a caller that yields to the event loop in between: at 100 000
 * beads the whole pass is 10–25 ms, a stall of the keys pressed while the first read lands.
 */
export function* tallySteps(plan: Plan, infos?: readonly BeadInfo[]): Generator<void, Map<string, Tally>> {
  const m = new Map<string, Tally>();
  const of = (t: string) => {
    let x = m.get(t);
    if (!x) m.set(t, (x = { health: emptyHealth(), live: 0 }));
    return x;
  };
  // Only the restamps and backfills the plan proposes are drift (a withheld one is the operator's or unknown).
  const { proposed } = repairIds(plan);
  const add = (i: Readonly<BeadFacts>) => {
    const x = of(i.template ?? '');
    const h = x.health;
    if (i.duplicateOf) h.duplicates++;
    if (i.mismatchedAlias) h.mismatched++;
    if (i.stalePoolSlot && proposed.has(`restamp-slot:${i.id}`)) h.stalePoolSlots++;
    if (i.templateBackfill && proposed.has(`backfill-template:${i.id}`)) h.backfills++;
    if (i.aliasConflictHolder) h.conflicts++;
    if (i.outOfBounds) h.outOfBounds++;
    if (i.stale) h.stale++;
    if (i.inFlight) h.inFlight++;
    if (!i.knownState) h.unknownState++;
    if (i.live && i.ownedSlot > 0 && !i.duplicateOf) x.live++;
  };
  if (infos)
    for (let i = 0; i < infos.length; i++) {
      if (i % TALLY_STEP === TALLY_STEP - 1) yield;
      add(infos[i]);
    }
  // From the plan's session table, without building every bead's detail and its texts (as long as the plan).
  else eachBeadFacts(plan, add);
  for (const w of plan.detail.work) {
    if (!w.problem) continue;
    const h = of(w.route).health;
    if (w.problem === 'cross-template') h.crossTemplate++;
    else h.orphaned++;
  }
  return m;
}

/** How many slots a pool holds, from its places when it has them: its slot entries are made only when read. */
const heldSlots = (p: PoolPlan): number => slotPlaces(p)?.slot.length ?? p.slots.length;

/** The pools view's rows of `plan`, given the tallies of its beads (tallies()). */
export function poolGlances(plan: Plan, tally: ReadonlyMap<string, Tally>): PoolGlance[] {
  const names = new Map(plan.detail.templates.map((t) => [t.template, t.namepool.length]));
  return plan.pools.map((p) => {
    const t = tally.get(p.template);
    return {
      template: p.template,
      bounded: p.bounded,
      max: p.max,
      names: names.get(p.template) ?? 0,
      min: p.min,
      desired: p.desired,
      held: heldSlots(p),
      live: t?.live ?? 0,
      duplicates: p.duplicates,
      health: t?.health ?? emptyHealth(),
    };
  });
}

export function glanceOf(state: State, plan: Plan, at: number, rules?: DetectedEdition): Glance {
  return {
    at,
    ...(rules ? { rules } : {}),
    city: state.city.workspace?.name ?? null,
    beads: state.beads.length,
    metrics: plan.metrics,
    repairs: plan.repairs.length,
    findings: plan.findings.length,
    pools: poolGlances(plan, tallies(plan)),
    templates: plan.detail.templates,
  };
}
