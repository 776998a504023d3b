// Pools view: one row per template with its bounds, live vs desired, and health badges.
import type { TemplateDetail } from '../../engine/types.js';
import { boundByNames } from '../../store/output/plan-view.js';
import { poolGlances, tallySteps, type PoolGlance, type PoolHealth } from '../../console/glance.js';
import type { Tone } from '../theme.js';
import { cap, clean, groupDigits } from '../text.js';
import { runAtOnce, runSliced, type Derived } from './derive.js';
import { makeRow, type Table } from './types.js';

export function badges(h: PoolHealth, suspended: boolean): { text: string; tone: Tone } {
  const parts: string[] = [];
  const add = (n: number, label: string) => n > 0 && parts.push(`${n} ${label}`);
  if (suspended) parts.push('suspended');
  add(h.duplicates, 'dup');
  add(h.conflicts, 'conflict');
  add(h.mismatched, 'alias');
  // What the slots view flags `pool_slot 3≠2` and `no template (…)`, counted per pool.
  add(h.stalePoolSlots, 'pool_slot');
  add(h.backfills, 'no template');
  add(h.crossTemplate, 'x-tmpl');
  add(h.orphaned, 'orphan');
  add(h.stale, 'stale');
  add(h.outOfBounds, 'oob');
  add(h.inFlight, 'creating');
  add(h.unknownState, 'unknown');
  const bad = h.duplicates + h.conflicts + h.crossTemplate + h.orphaned + h.stale;
  const warn = h.mismatched + h.stalePoolSlots + h.backfills + h.outOfBounds + h.unknownState;
  const tone: Tone = bad > 0 ? 'error' : warn > 0 ? 'warn' : suspended ? 'dim' : 'ok';
  return { text: parts.length ? parts.join(' · ') : 'ok', tone };
}

/**
 * The most sessions a pool's own bounds let it hold, for its detail: `12 names` when its namepool is the tighter
 * bound (a pool bounded by its names alone showed `∞`), else its max (`∞` when it has none).
 */
export function poolBound(max: number | null, names: number): string {
  return boundByNames(max, names) ? `${groupDigits(names)} names` : cap(max);
}

/** The pools view's rows (the figures of a first look, or of a snapshot's plan). */
export function poolsTableOf(pools: readonly PoolGlance[], templates: ReadonlyMap<string, TemplateDetail>): Table {
  return {
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
    rows: pools.map((p) => {
      const b = badges(p.health, templates.get(p.template)?.suspended ?? false);
      // A pool its names bound says so in BOUND (`names`) and shows their number as its MAX: `12 names` in MAX
      // took the cells that show a whole template name at 60 columns.
      const byNames = boundByNames(p.max, p.names);
      const bound = p.bounded ? (byNames ? 'names' : 'yes') : 'no';
      const max = byNames ? groupDigits(p.names) : cap(p.max);
      const cellTones: (Tone | undefined)[] = [
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        p.live < p.desired ? 'warn' : undefined,
        undefined,
        b.tone,
      ];
      return makeRow(
        p.template,
        [clean(p.template), bound, max, String(p.min), String(p.held), String(p.live), String(p.desired), b.text],
        [p.template, ...p.duplicates],
        { cellTones },
      );
    }),
  };
}

export function poolsTable(d: Derived): Table {
  return d.table('pools', () => poolsTableOf(poolGlances(d.snap.plan, runAtOnce(tallySteps(d.snap.plan, d.infos))), d.templateDetail));
}

/** The same table with its tallies made a step at a time, awaiting `pause` in between (before the snapshot is on screen). */
export async function warmPoolsTable(d: Derived, pause: () => Promise<void>): Promise<void> {
  if (d.has('pools')) return;
  const tally = await runSliced(tallySteps(d.snap.plan, d.infos), pause);
  d.table('pools', () => poolsTableOf(poolGlances(d.snap.plan, tally), d.templateDetail));
}
