// R4: no cross-template resume; release orphaned work. Both send the work to be routed afresh.
import type { BeadIndex, CityModel } from '../model.js';
import { assigneeOf, isLiveWork, routeOf } from '../model.js';
import type { Bead, Change, Repair, WorkInfo } from '../types.js';

export interface WorkAnalysis {
  work: WorkInfo[];
  repairs: Repair[];
  /** Live work bead ids per session bead id the assignee resolves to. */
  liveWorkBySession: Map<string, Bead[]>;
  crossTemplate: number;
  orphaned: number;
}

function releaseChanges(w: Bead): Change[] {
  const changes: Change[] = [{ field: 'assignee', before: assigneeOf(w), after: '' }];
  if (w.status === 'in_progress') changes.push({ field: 'status', before: 'in_progress', after: 'open' });
  return changes;
}

export function analyzeWork(city: CityModel, index: BeadIndex, templateOf: (sessionId: string) => string | null): WorkAnalysis {
  const work: WorkInfo[] = [];
  const repairs: Repair[] = [];
  const liveWorkBySession = new Map<string, Bead[]>();
  let crossTemplate = 0;
  let orphaned = 0;
  for (const w of index.work) {
    if (!isLiveWork(w)) continue;
    const assignee = assigneeOf(w);
    if (!assignee) continue;
    const route = routeOf(w);
    const session = index.resolveAssignee(assignee);
    const info: WorkInfo = {
      id: w.id,
      route,
      assignee,
      sessionId: session?.id ?? null,
      sessionTemplate: session ? templateOf(session.id) : null,
      problem: null,
    };
    work.push(info);
    if (session) {
      const list = liveWorkBySession.get(session.id);
      if (list) list.push(w);
      else liveWorkBySession.set(session.id, [w]);
      const sessionTemplate = info.sessionTemplate;
      if (sessionTemplate === null || route === '' || route === sessionTemplate) continue;
      info.problem = 'cross-template';
      crossTemplate++;
      repairs.push({
        id: `unassign-cross-template-work:${w.id}`,
        kind: 'unassign-cross-template-work',
        beadId: w.id,
        template: route,
        changes: releaseChanges(w),
        reason: `routed to ${route} but assignee "${assignee}" is session ${session.id} of ${sessionTemplate}: it will never resume there; unassign so it is routed afresh`,
      });
      continue;
    }
    if (route === '' || !city.byName.has(route) || city.namedIdentities.has(assignee)) continue;
    info.problem = 'orphaned';
    orphaned++;
    repairs.push({
      id: `release-orphaned-work:${w.id}`,
      kind: 'release-orphaned-work',
      beadId: w.id,
      template: route,
      changes: releaseChanges(w),
      reason: `assignee "${assignee}" resolves to no open session bead (routed to ${route}): release it`,
    });
  }
  return { work, repairs, liveWorkBySession, crossTemplate, orphaned };
}
