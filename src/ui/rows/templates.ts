// Templates view: the cap chain (agent → rig → workspace), namepool, demand and its source, and
// what the desired-state rule accepted or refused.
import type { TemplateDetail } from '../../engine/types.js';
import { cap, clean, groupDigits } from '../text.js';
import type { Derived } from './derive.js';
import { poolBound } from './pools.js';
import { makeRow, type Table } from './types.js';

const DEMAND_SOURCE: Record<TemplateDetail['demandSource'], string> = {
  store: 'store demand',
  'routed-work': 'routed work',
  'scale-check-estimate': 'scale_check: estimate',
  suspended: 'suspended',
};

export function capChain(t: TemplateDetail): string {
  return `agent ${cap(t.agentMax)} → rig ${t.rig ? `${clean(t.rig)} ${cap(t.rigMax)}` : '–'} → ws ${cap(t.workspaceMax)}`;
}

function requestSummary(t: TemplateDetail): { text: string; refused: number } {
  let ok = 0;
  let refused = 0;
  const by = new Map<string, number>();
  for (const r of t.requests) {
    const n = r.count ?? 1;
    if (r.accepted) ok += n;
    else {
      refused += n;
      const k = r.refusedBy ?? '?';
      by.set(k, (by.get(k) ?? 0) + n);
    }
  }
  const why = [...by].map(([k, n]) => `${groupDigits(n)} ${k}`).join(', ');
  return { text: `${groupDigits(ok)} ok` + (refused ? ` · ${groupDigits(refused)} refused (${why})` : ''), refused };
}

export function templatesTable(d: Derived): Table {
  return d.table('templates', () => ({
    columns: [
      { title: 'TEMPLATE', flex: 2, min: 10, cut: 'middle' },
      { title: 'CAPS', flex: 3, min: 12 },
      { title: 'NAMEPOOL', flex: 2, min: 6, drop: 1 },
      { title: 'DEMAND', flex: 2, min: 8 },
      { title: 'MIN', width: 4, align: 'right' },
      { title: 'DESIRED', width: 8, align: 'right' },
      { title: 'REQUESTS', flex: 2, min: 8 },
    ],
    rows: d.snap.plan.detail.templates.map((t) => {
      const req = requestSummary(t);
      const pool = t.namepool.length
        ? `${t.namepool.length}: ${t.namepool.slice(0, 4).join(', ')}${t.namepool.length > 4 ? ', …' : ''}`
        : '–';
      const row = makeRow(
        t.template,
        [
          clean(t.template) + (t.suspended ? ' (suspended)' : ''),
          capChain(t),
          clean(pool),
          `${groupDigits(t.demand)} (${DEMAND_SOURCE[t.demandSource]})`,
          String(t.min),
          String(t.desired),
          req.text,
        ],
        [t.template],
      );
      row.cellTones = [
        t.suspended ? 'dim' : undefined,
        undefined,
        undefined,
        t.demandSource === 'scale-check-estimate' ? 'warn' : undefined,
        undefined,
        undefined,
        req.refused ? 'warn' : undefined,
      ];
      return row;
    }),
  }));
}

export function templateDetail(d: Derived, key: string): string[] {
  const t = d.templateDetail.get(key);
  return t ? templateLines(t) : [];
}

/** A template's detail lines: caps, namepool, demand, then its requests. */
export function templateLines(t: TemplateDetail): string[] {
  const lines = [
    `${clean(t.template)}  ${t.bounded ? `bounded: at most ${poolBound(t.agentMax, t.namepool.length)}` : 'unbounded'}  caps: ${capChain(t)}  open session beads ${groupDigits(t.live)}` +
      (t.inFlight.length ? `  in flight: ${clean(t.inFlight.join(', '))}` : ''),
  ];
  if (t.namepool.length) lines.push(`namepool (${t.namepool.length}): ${clean(t.namepool.join(', '))}`);
  lines.push(`demand ${groupDigits(t.demand)} from ${DEMAND_SOURCE[t.demandSource]}; min ${t.min}; desired ${t.desired}`);
  for (const r of t.requests.slice(0, 20)) {
    const what = r.beadId ? `session ${clean(r.beadId)}` : 'new session';
    const why = r.accepted ? 'accepted' : `refused by ${r.refusedBy ?? '?'}`;
    lines.push(`${r.tier} ×${r.count ?? 1}: ${what}${r.workId ? ` for ${clean(r.workId)}` : ''} (priority ${r.priority}) — ${why}`);
  }
  return lines;
}
