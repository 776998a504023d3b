// R7: desired sessions per pool — resume requests, then new demand (filled by in-flight beads first),
// accepted through the agent → rig → workspace caps, then min fill.
import type { BeadIndex, CityModel, Template } from '../model.js';
import { assigneeOf, isLiveWork, isNamed, isPoolManaged, priorityOf, routeOf } from '../model.js';
import type { Bead, Finding, PoolRequest, State, TemplateDetail } from '../types.js';
import { compareBytes, compareInstants, parseInstant } from '../values.js';
import { isInFlight } from './rollbacks.js';

export interface DesiredInput {
  city: CityModel;
  index: BeadIndex;
  state: State;
  templateOf: (sessionId: string) => string | null;
  /** Refused duplicates and beads being closed or rolled back: they hold no capacity. */
  excluded: ReadonlySet<string>;
}

export interface DesiredOutcome {
  templates: TemplateDetail[];
  findings: Finding[];
}

interface Caps {
  used: Map<string, number>;
  rigUsed: Map<string, number>;
  total: number;
}

function refusal(city: CityModel, t: Template, caps: Caps): string | null {
  if ((caps.used.get(t.qualified) ?? 0) >= t.capacity) return 'agent_cap';
  if (t.rig !== null && t.rigMax !== null && (caps.rigUsed.get(t.rig) ?? 0) >= t.rigMax) return 'rig_cap';
  if (city.workspaceMax !== null && caps.total >= city.workspaceMax) return 'workspace_cap';
  return null;
}

function accept(t: Template, caps: Caps): void {
  caps.used.set(t.qualified, (caps.used.get(t.qualified) ?? 0) + 1);
  if (t.rig !== null) caps.rigUsed.set(t.rig, (caps.rigUsed.get(t.rig) ?? 0) + 1);
  caps.total++;
}

export function planDesired({ city, index, state, templateOf, excluded }: DesiredInput): DesiredOutcome {
  const findings: Finding[] = [];
  const requests = new Map<string, PoolRequest[]>(city.templates.map((t) => [t.qualified, []]));
  const caps: Caps = { used: new Map(), rigUsed: new Map(), total: 0 };
  const offer = (t: Template, req: Omit<PoolRequest, 'accepted' | 'refusedBy' | 'count'>): boolean => {
    const refusedBy = refusal(city, t, caps);
    if (refusedBy === null) accept(t, caps);
    requests.get(t.qualified)!.push({ ...req, accepted: refusedBy === null, refusedBy, count: 1 });
    return refusedBy === null;
  };

  // Resume tier: one request per session bead, highest work priority first.
  const resume: { t: Template; session: Bead; work: Bead; priority: number; pos: number }[] = [];
  index.work.forEach((w, pos) => {
    if (!isLiveWork(w)) return;
    const session = index.resolveAssignee(assigneeOf(w));
    if (!session || isNamed(session) || excluded.has(session.id)) return;
    const name = templateOf(session.id);
    const t = name !== null ? city.byName.get(name) : undefined;
    if (!t || t.suspended) return;
    const route = routeOf(w);
    if (route !== '' && route !== t.qualified) return;
    resume.push({ t, session, work: w, priority: priorityOf(w), pos });
  });
  resume.sort((a, b) => b.priority - a.priority || a.t.order - b.t.order || a.pos - b.pos);
  const resumed = new Set<string>();
  for (const r of resume) {
    if (resumed.has(r.session.id)) continue;
    resumed.add(r.session.id);
    offer(r.t, { tier: 'resume', beadId: r.session.id, workId: r.work.id, priority: r.priority });
  }

  // New tier: demand per template, in-flight beads fill the first requests.
  const details: TemplateDetail[] = [];
  const inFlightBy = new Map<string, Bead[]>();
  for (const b of index.sessions) {
    if (!isPoolManaged(b) || excluded.has(b.id) || resumed.has(b.id) || !isInFlight(b)) continue;
    const name = templateOf(b.id);
    if (name === null || !city.byName.has(name)) continue;
    const list = inFlightBy.get(name);
    if (list) list.push(b);
    else inFlightBy.set(name, [b]);
  }
  const routedOpen = new Map<string, number>();
  for (const w of index.work) {
    if (w.status !== 'open' || assigneeOf(w) !== '') continue;
    const route = routeOf(w);
    if (route) routedOpen.set(route, (routedOpen.get(route) ?? 0) + 1);
  }
  const liveCount = new Map<string, number>();
  for (const b of index.sessions) {
    const name = templateOf(b.id);
    if (name !== null) liveCount.set(name, (liveCount.get(name) ?? 0) + 1);
  }

  for (const t of city.templates) {
    const inFlight = (inFlightBy.get(t.qualified) ?? []).sort(
      (a, b) => compareInstants(parseInstant(a.created_at), parseInstant(b.created_at)) || compareBytes(a.id, b.id),
    );
    const given = state.demand?.[t.qualified];
    let demand = 0;
    let demandSource: TemplateDetail['demandSource'] = 'suspended';
    if (!t.suspended) {
      if (typeof given === 'number' && Number.isFinite(given)) {
        demand = Math.max(0, Math.floor(given));
        demandSource = 'store';
      } else {
        demand = routedOpen.get(t.qualified) ?? 0;
        demandSource = t.scaleCheck ? 'scale-check-estimate' : 'routed-work';
        if (t.scaleCheck) {
          findings.push({
            kind: 'unknown-demand',
            severity: 'info',
            template: t.qualified,
            message: `custom scale_check "${t.scaleCheck}" is never run; demand estimated as ${demand} open unassigned work bead(s) routed to ${t.qualified}`,
          });
        }
      }
      const list = requests.get(t.qualified)!;
      for (let i = 0; i < demand; i++) {
        const bead = inFlight[i];
        if (!offer(t, { tier: 'new', beadId: bead?.id ?? null, workId: null, priority: 0 })) {
          // Caps only fill up, so every later request of this template is refused the same way: fold them.
          list[list.length - 1].count = demand - i;
          break;
        }
      }
    }
    details.push({
      template: t.qualified,
      name: t.name,
      dir: t.dir,
      rig: t.rig,
      suspended: t.suspended,
      bounded: t.bounded,
      agentMax: t.agentMax,
      rigMax: t.rigMax,
      workspaceMax: city.workspaceMax,
      namepool: t.namepool,
      min: t.min,
      demand,
      demandSource,
      inFlight: inFlight.map((b) => b.id),
      requests: requests.get(t.qualified)!,
      desired: 0,
      live: liveCount.get(t.qualified) ?? 0,
    });
  }

  // Min fill, within the same caps.
  for (const t of city.templates) {
    if (t.suspended) continue;
    while ((caps.used.get(t.qualified) ?? 0) < t.min) {
      if (!offer(t, { tier: 'min', beadId: null, workId: null, priority: 0 })) break;
    }
  }
  for (const d of details) d.desired = caps.used.get(d.template) ?? 0;
  return { templates: details, findings };
}
