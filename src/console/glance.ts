// The first look at a read: what the console's first frame shows (the header's figures and the pools view),
// made where the plan is made. At 100 000 beads the read's state and plan take a second and more to be packed,
// sent and unpacked on the console's thread; this is a few kilobytes, sent as soon as the plan is made, so the
// operator sees the figures and the pools while the beads are on their way (the other views wait for them).
// The pools view's rows are made from the same values once the beads are here (ui/rows/pools.ts), so the
// first frame and the ones after it agree.
import type { DetectedEdition } from '../engine/index.js';
import type { BeadInfo, Metrics, Plan, State, TemplateDetail } from '../engine/types.js';

export interface PoolHealth {
  duplicates: number;
  mismatched: number;
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
  max: number | null;
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

export function poolHealth(infos: readonly BeadInfo[], problems: readonly string[]): PoolHealth {
  const h: PoolHealth = {
    duplicates: 0,
    mismatched: 0,
    conflicts: 0,
    outOfBounds: 0,
    stale: 0,
    inFlight: 0,
    crossTemplate: 0,
    orphaned: 0,
    unknownState: 0,
  };
  for (const i of infos) {
    if (i.duplicateOf) h.duplicates++;
    if (i.mismatchedAlias) h.mismatched++;
    if (i.aliasConflictHolder) h.conflicts++;
    if (i.outOfBounds) h.outOfBounds++;
    if (i.stale) h.stale++;
    if (i.inFlight) h.inFlight++;
    if (!i.knownState) h.unknownState++;
  }
  for (const w of problems) {
    if (w === 'cross-template') h.crossTemplate++;
    else h.orphaned++;
  }
  return h;
}

function liveCount(infos: readonly BeadInfo[]): number {
  let n = 0;
  for (const i of infos) if (i.live && i.ownedSlot > 0 && !i.duplicateOf) n++;
  return n;
}

/** The work problems of `plan` (cross-template, orphaned) by the template they route to. */
export function problemsByRoute(plan: Plan): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const w of plan.detail.work) {
    if (!w.problem) continue;
    const list = m.get(w.route);
    if (list) list.push(w.problem);
    else m.set(w.route, [w.problem]);
  }
  return m;
}

/** The pools view's rows of `plan`, given its bead details by template and its work problems by route. */
export function poolGlances(
  plan: Plan,
  infosByTemplate: ReadonlyMap<string, readonly BeadInfo[]>,
  problems: ReadonlyMap<string, string[]>,
): PoolGlance[] {
  return plan.pools.map((p) => {
    const infos = infosByTemplate.get(p.template) ?? [];
    return {
      template: p.template,
      bounded: p.bounded,
      max: p.max,
      min: p.min,
      desired: p.desired,
      held: p.slots.length,
      live: liveCount(infos),
      duplicates: p.duplicates,
      health: poolHealth(infos, problems.get(p.template) ?? []),
    };
  });
}

export function glanceOf(state: State, plan: Plan, at: number, rules?: DetectedEdition): Glance {
  const byTemplate = new Map<string, BeadInfo[]>();
  for (const k in plan.detail.beads) {
    const i = plan.detail.beads[k];
    const t = i.template ?? '';
    const list = byTemplate.get(t);
    if (list) list.push(i);
    else byTemplate.set(t, [i]);
  }
  return {
    at,
    ...(rules ? { rules } : {}),
    city: state.city.workspace?.name ?? null,
    beads: state.beads.length,
    metrics: plan.metrics,
    repairs: plan.repairs.length,
    findings: plan.findings.length,
    pools: poolGlances(plan, byTemplate, problemsByRoute(plan)),
    templates: plan.detail.templates,
  };
}
