// plan(state, now): composes the rules R1–R8 into repairs, findings, figures and pool tables.
import type { Template } from './model.js';
import { buildBeadIndex, buildCityModel, identityOf, inBounds, isNamed, isPoolManaged } from './model.js';
import { withholdRejected } from './decisions.js';
import { planAliases, type AliasCandidate } from './rules/aliases.js';
import { analyzeWork } from './rules/cross-template.js';
import { planDesired } from './rules/desired.js';
import { resolveSlots, type SlotHolder } from './rules/duplicates.js';
import { agentIdentity, ownedSlot } from './rules/identity.js';
import { isInFlight, planRollbacks } from './rules/rollbacks.js';
import { restampSlot } from './rules/slots.js';
import { backfillTemplate, resolveTemplate, unresolvedMessage } from './rules/templates.js';
import type { BeadInfo, Finding, Metrics, Plan, PoolPlan, Repair, State } from './types.js';
import { KNOWN_STATES, LIVE_STATES, ROLLBACK_BUDGET, compareBytes, meta, metaBefore } from './values.js';

const NONE: ReadonlySet<string> = new Set();

const REPAIR_WORDS: Record<string, string> = {
  'backfill-template': 'template backfill',
  'restamp-slot': 'slot restamp',
  'repair-alias': 'alias repair',
  'clear-conflicting-alias': 'alias clear',
  'close-duplicate': 'duplicate close',
};

function compareFindings(a: Finding, b: Finding): number {
  return (
    compareBytes(a.kind, b.kind) ||
    compareBytes(a.beadId ?? a.workId ?? '', b.beadId ?? b.workId ?? '') ||
    compareBytes(a.template ?? '', b.template ?? '')
  );
}

export function plan(state: State, now: Date): Plan {
  const nowMs = now.getTime();
  const city = buildCityModel(state);
  const index = buildBeadIndex(state.beads);
  const repairs: Repair[] = [];
  const findings: Finding[] = [];
  const info = new Map<string, BeadInfo>();

  // R1: every open session bead's template.
  const resolved = new Map<string, ReturnType<typeof resolveTemplate>>();
  for (const b of index.sessions) resolved.set(b.id, resolveTemplate(city, b));
  const templateOf = (id: string): string | null => resolved.get(id)?.template ?? null;

  // R2: owned slots of pool-managed beads.
  const holders: SlotHolder[] = [];
  const templateModel = new Map<string, Template>();
  for (const b of index.sessions) {
    const r = resolved.get(b.id)!;
    const state = meta(b, 'state');
    const t = r.template !== null ? city.byName.get(r.template) : undefined;
    const pm = isPoolManaged(b);
    const slot = pm && t ? ownedSlot(t, b) : null;
    if (t) templateModel.set(b.id, t);
    if (slot && t && slot.owned > 0) holders.push({ bead: b, template: t, slot: slot.owned });
    info.set(b.id, {
      id: b.id,
      template: r.template,
      templateSource: r.source,
      poolManaged: pm,
      named: isNamed(b),
      live: LIVE_STATES.has(state),
      knownState: KNOWN_STATES.has(state),
      agentSlot: slot?.agentSlot ?? 0,
      aliasSlot: slot?.aliasSlot ?? 0,
      sessionNameSlot: slot?.sessionNameSlot ?? 0,
      ownedSlot: slot?.owned ?? 0,
      slotReason:
        slot?.reason ?? (pm ? (r.template ? `${r.template} is not a configured agent` : 'template unresolved') : 'not pool-managed'),
      identity: slot && t && slot.owned > 0 ? identityOf(t, slot.owned) : null,
      duplicateOf: null,
      incumbentReason: null,
      mismatchedAlias: false,
      aliasConflictHolder: null,
      outOfBounds: !!(pm && t && t.bounded && slot && slot.agentSlot > 0 && !inBounds(t, slot.agentSlot)),
      inFlight: isInFlight(b),
      stale: false,
      deferredRollback: false,
      stalePoolSlot: false,
      templateBackfill: false,
      liveWork: [],
    });
  }

  // R3: one bead per slot.
  const slots = resolveSlots(holders);
  const refused = new Set<string>();
  const sameSlotDuplicates = new Map<string, Set<string>>();
  for (const res of slots.values()) {
    if (res.duplicates.length === 0) continue;
    const dupIds = new Set(res.duplicates.map((d) => d.id));
    sameSlotDuplicates.set(res.incumbent.id, dupIds);
    info.get(res.incumbent.id)!.incumbentReason = res.why;
    for (const d of res.duplicates) {
      refused.add(d.id);
      const di = info.get(d.id)!;
      di.duplicateOf = res.incumbent.id;
      di.incumbentReason = res.whyOver.get(d.id)!;
    }
  }

  // R4: cross-template and orphaned work.
  const work = analyzeWork(city, index, templateOf);
  repairs.push(...work.repairs);
  for (const [sessionId, list] of work.liveWorkBySession) {
    const bi = info.get(sessionId);
    if (bi) bi.liveWork = list.map((w) => w.id).sort(compareBytes);
  }

  // R8 first: stale creates, then close-duplicate for dormant refused duplicates without live work.
  const rollbacks = planRollbacks(
    index.sessions.filter((b) => templateOf(b.id) !== null).map((b) => ({ bead: b, template: templateOf(b.id)! })),
    nowMs,
    city.patrolMs,
  );
  repairs.push(...rollbacks.repairs);
  findings.push(...rollbacks.findings);
  for (const b of rollbacks.stale) info.get(b.id)!.stale = true;
  for (const id of rollbacks.deferred) info.get(id)!.deferredRollback = true;
  const closing = new Set<string>(rollbacks.rolledBack);

  for (const id of [...refused].sort(compareBytes)) {
    const b = index.sessionById.get(id)!;
    const bi = info.get(id)!;
    const t = templateModel.get(id)!;
    const state = meta(b, 'state');
    const liveWork = bi.liveWork;
    if (closing.has(id)) continue;
    const dormant = KNOWN_STATES.has(state) && !LIVE_STATES.has(state);
    const slotWords = `slot ${bi.ownedSlot} of ${t.qualified} (${bi.identity})`;
    if (dormant && liveWork.length === 0) {
      closing.add(id);
      repairs.push({
        id: `close-duplicate:${id}`,
        kind: 'close-duplicate',
        beadId: id,
        template: t.qualified,
        changes: [
          { field: 'status', before: typeof b.status === 'string' ? b.status : null, after: 'closed' },
          { field: 'metadata.close_reason', before: metaBefore(b, 'close_reason'), after: 'duplicate-slot' },
        ],
        reason: `refused duplicate of ${slotWords}: ${bi.duplicateOf} holds it because ${bi.incumbentReason}; this bead is ${state || 'in no state'} (dormant) with no live work`,
      });
      continue;
    }
    const keeps: string[] = [];
    if (!KNOWN_STATES.has(state)) keeps.push(`its state "${state}" is unknown`);
    else keeps.push(LIVE_STATES.has(state) ? `it is live (${state})` : `it is ${state || 'in no state'} (dormant)`);
    if (liveWork.length > 0) keeps.push(`it holds live work ${liveWork.join(', ')}`);
    findings.push({
      kind: 'duplicate-slot',
      severity: 'action',
      beadId: id,
      template: t.qualified,
      message: `refused duplicate of ${slotWords}: ${bi.duplicateOf} holds it because ${bi.incumbentReason}; kept open because ${keeps.join(' and ')}`,
    });
  }

  // R5, R6, R1 backfill for the beads that stay: config order, then slot.
  const aliasCandidates: AliasCandidate[] = [];
  const restamps: Repair[] = [];
  const withheld = new Map<string, string[]>();
  const sessionsInOrder = index.sessions
    .map((b) => ({ b, order: templateModel.get(b.id)?.order ?? Infinity, slot: info.get(b.id)!.ownedSlot }))
    .sort((x, y) => x.order - y.order || x.slot - y.slot || compareBytes(x.b.id, y.b.id));
  for (const { b } of sessionsInOrder) {
    const bi = info.get(b.id)!;
    if (bi.template === null || refused.has(b.id) || closing.has(b.id)) continue;
    const unknown = !bi.knownState;
    const own: Repair[] = [];
    const backfill = backfillTemplate(b, resolved.get(b.id)!);
    if (backfill) own.push(backfill);
    bi.templateBackfill = backfill !== null;
    const t = templateModel.get(b.id);
    if (bi.poolManaged && t && bi.ownedSlot > 0) {
      aliasCandidates.push({
        bead: b,
        template: t,
        slot: bi.ownedSlot,
        sameSlotDuplicates: sameSlotDuplicates.get(b.id) ?? NONE,
        withheld: unknown,
      });
      const restamp = restampSlot(b, t, bi.ownedSlot, bi.slotReason);
      if (restamp) own.push(restamp);
      bi.stalePoolSlot = restamp !== null;
    }
    if (unknown)
      withheld.set(
        b.id,
        own.map((r) => REPAIR_WORDS[r.kind]),
      );
    else restamps.push(...own);
  }
  repairs.push(...restamps);

  let aliasConflicts = 0;
  for (const outcome of planAliases(city, index, aliasCandidates, now)) {
    const bi = info.get(outcome.beadId)!;
    if (outcome.holder !== null) {
      bi.aliasConflictHolder = outcome.holder;
      aliasConflicts++;
    }
    if (outcome.finding) findings.push(outcome.finding);
    if (!outcome.repair) continue;
    if (bi.knownState) repairs.push(outcome.repair);
    else withheld.get(outcome.beadId)!.push(REPAIR_WORDS[outcome.repair.kind]);
  }

  // Findings that only report.
  for (const b of index.sessions) {
    const bi = info.get(b.id)!;
    if (bi.template === null) {
      findings.push({ kind: 'unresolved-template', severity: 'action', beadId: b.id, message: unresolvedMessage(b) });
    }
    if (!bi.knownState) {
      const w = withheld.get(b.id) ?? [];
      findings.push({
        kind: 'unknown-state',
        severity: 'info',
        beadId: b.id,
        ...(bi.template ? { template: bi.template } : {}),
        message: `state "${meta(b, 'state')}" is not a known state: shown and keeps ${bi.ownedSlot > 0 ? `slot ${bi.ownedSlot}` : 'its place'}, never stale or closed; withheld: ${w.length ? w.join(', ') : 'nothing'}`,
      });
    }
    if (bi.outOfBounds) {
      const t = templateModel.get(b.id)!;
      findings.push({
        kind: 'out-of-bounds-identity',
        severity: 'info',
        beadId: b.id,
        template: t.qualified,
        message: `agent identity "${agentIdentity(b)}" names slot ${bi.agentSlot}, outside ${t.qualified}'s bounds (1..${t.capacity}); ${bi.ownedSlot > 0 ? `owns slot ${bi.ownedSlot}` : 'owns no slot'} (${bi.slotReason})`,
      });
    }
    const t = templateModel.get(b.id);
    if (bi.poolManaged && !refused.has(b.id) && bi.ownedSlot > 0 && t) {
      const alias = meta(b, 'alias');
      bi.mismatchedAlias = alias !== '' && alias !== identityOf(t, bi.ownedSlot);
    }
  }

  // R7: desired state.
  const desired = planDesired({ city, index, state, templateOf, excluded: new Set([...refused, ...closing]) });
  findings.push(...desired.findings);

  const values = [...info.values()];
  const metrics: Metrics = {
    mismatched_aliases: values.filter((v) => v.mismatchedAlias).length,
    alias_conflicts: aliasConflicts,
    duplicate_slots: refused.size,
    cross_template_assignments: work.crossTemplate,
    orphaned_work: work.orphaned,
    out_of_bounds_identities: values.filter((v) => v.outOfBounds).length,
    stale_creates: rollbacks.stale.length,
    deferred_rollbacks: rollbacks.deferred.size,
    unresolved_templates: values.filter((v) => v.template === null).length,
  };

  const byTemplate = new Map<Template, PoolPlan['slots']>();
  const dupsByTemplate = new Map<Template, string[]>();
  for (const res of slots.values()) {
    const t = templateModel.get(res.incumbent.id)!;
    const b = res.incumbent;
    const list = byTemplate.get(t) ?? [];
    list.push({ slot: info.get(b.id)!.ownedSlot, beadId: b.id, alias: meta(b, 'alias'), state: meta(b, 'state') });
    byTemplate.set(t, list);
    if (res.duplicates.length > 0) {
      const dups = dupsByTemplate.get(t) ?? [];
      for (const d of res.duplicates) dups.push(d.id);
      dupsByTemplate.set(t, dups);
    }
  }
  const desiredBy = new Map(desired.templates.map((d) => [d.template, d.desired]));
  const pools: PoolPlan[] = city.templates
    .map((t) => ({
      template: t.qualified,
      bounded: t.bounded,
      max: t.agentMax,
      min: t.min,
      desired: desiredBy.get(t.qualified) ?? 0,
      slots: (byTemplate.get(t) ?? []).sort((a, b) => a.slot - b.slot),
      duplicates: (dupsByTemplate.get(t) ?? []).sort(compareBytes),
    }))
    .sort((a, b) => compareBytes(a.template, b.template));

  const ticks = Math.ceil(rollbacks.deferred.size / ROLLBACK_BUDGET);
  const { proposed, rejected } = withholdRejected(
    repairs.sort((a, b) => compareBytes(a.id, b.id)),
    state.decisions,
  );
  return {
    metrics,
    repairs: proposed,
    findings: findings.sort(compareFindings),
    pools,
    detail: {
      beads: Object.fromEntries(info),
      templates: desired.templates,
      work: work.work,
      rollbackBacklog: { stale: rollbacks.stale.length, deferred: rollbacks.deferred.size, ticks, budget: ROLLBACK_BUDGET },
      rejected,
    },
  };
}
