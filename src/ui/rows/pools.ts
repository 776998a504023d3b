// Pools view: one row per template with its bounds, live vs desired, and health badges.
import type { BeadInfo } from '../../engine/types.js';
import type { Tone } from '../theme.js';
import { cap, clean } from '../text.js';
import type { Derived } from './derive.js';
import { makeRow, type Table } from './types.js';

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

export function poolHealth(d: Derived, template: string): PoolHealth {
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
  for (const i of d.infosByTemplate.get(template) ?? []) {
    if (i.duplicateOf) h.duplicates++;
    if (i.mismatchedAlias) h.mismatched++;
    if (i.aliasConflictHolder) h.conflicts++;
    if (i.outOfBounds) h.outOfBounds++;
    if (i.stale) h.stale++;
    if (i.inFlight) h.inFlight++;
    if (!i.knownState) h.unknownState++;
  }
  for (const w of workByRoute(d).get(template) ?? []) {
    if (w === 'cross-template') h.crossTemplate++;
    else h.orphaned++;
  }
  return h;
}

function workByRoute(d: Derived): Map<string, string[]> {
  return d.once('workByRoute', () => {
    const m = new Map<string, string[]>();
    for (const w of d.snap.plan.detail.work) {
      if (!w.problem) continue;
      const list = m.get(w.route);
      if (list) list.push(w.problem);
      else m.set(w.route, [w.problem]);
    }
    return m;
  });
}

export function badges(h: PoolHealth, suspended: boolean): { text: string; tone: Tone } {
  const parts: string[] = [];
  const add = (n: number, label: string) => n > 0 && parts.push(`${n} ${label}`);
  if (suspended) parts.push('suspended');
  add(h.duplicates, 'dup');
  add(h.conflicts, 'conflict');
  add(h.mismatched, 'alias');
  add(h.crossTemplate, 'x-tmpl');
  add(h.orphaned, 'orphan');
  add(h.stale, 'stale');
  add(h.outOfBounds, 'oob');
  add(h.inFlight, 'creating');
  add(h.unknownState, 'unknown');
  const bad = h.duplicates + h.conflicts + h.crossTemplate + h.orphaned + h.stale;
  const warn = h.mismatched + h.outOfBounds + h.unknownState;
  const tone: Tone = bad > 0 ? 'error' : warn > 0 ? 'warn' : suspended ? 'dim' : 'ok';
  return { text: parts.length ? parts.join(' · ') : 'ok', tone };
}

function liveCount(infos: readonly BeadInfo[]): number {
  let n = 0;
  for (const i of infos) if (i.live && i.ownedSlot > 0 && !i.duplicateOf) n++;
  return n;
}

export function poolsTable(d: Derived): Table {
  return d.table('pools', () => ({
    columns: [
      { title: 'TEMPLATE', flex: 2, min: 10, cut: 'middle' },
      { title: 'BOUND', width: 6, drop: 1 },
      { title: 'MAX', width: 5, align: 'right' },
      { title: 'MIN', width: 5, align: 'right' },
      { title: 'HELD', width: 6, align: 'right' },
      { title: 'LIVE', width: 6, align: 'right' },
      { title: 'DESIRED', width: 8, align: 'right' },
      { title: 'HEALTH', flex: 3, min: 8 },
    ],
    rows: d.snap.plan.pools.map((p) => {
      const t = d.templateDetail.get(p.template);
      const infos = d.infosByTemplate.get(p.template) ?? [];
      const live = liveCount(infos);
      const b = badges(poolHealth(d, p.template), t?.suspended ?? false);
      const row = makeRow(
        p.template,
        [
          clean(p.template),
          p.bounded ? 'yes' : 'no',
          cap(p.max),
          String(p.min),
          String(p.slots.length),
          String(live),
          String(p.desired),
          b.text,
        ],
        [p.template, ...p.duplicates],
      );
      row.cellTones = [undefined, undefined, undefined, undefined, undefined, live < p.desired ? 'warn' : undefined, undefined, b.tone];
      return row;
    }),
  }));
}
