// Snapshots of an input and its plan: json (a store file that reopens with --store), md (an incident report),
// csv (one row per session bead). Orders are fixed so two snapshots of the same city diff cleanly.
import { beadBriefs, compareBytes, sortByBytes, type BeadBrief, type DetectedEdition } from '../../engine/index.js';
import type { Bead, Plan } from '../../engine/types.js';
import { STATE_KEYS } from '../formats/load-store.js';
import type { MetricsHistory } from '../metrics-history.js';
import { DEMO_WORDS, describeSource, isDemo, shownSource } from '../fs/paths.js';
import { countActionFindings, driftExitCode, namepoolSizes, plural, poolBoundView, publicPlan } from './plan-view.js';
import { cell } from './markdown-text.js';
import { CONTROL_CLASS, quote, sanitize } from './sanitize.js';
import { trendMarkdown } from './trend-report.js';
import { STORE_SCHEMA } from '../formats/schema.js';
import { formatZ } from '../time.js';
import type { Loaded, StoreDocument } from '../types.js';

/** Keys a previous export added; a re-export replaces them instead of nesting them. */
const SNAPSHOT_KEYS = new Set(['snapshot', 'plan']);

/**
 * The input as a gc-tui store document: config, demand, seq, beads, decisions, plus every other top-level key
 * the input had (a city's `deps`, `revisions`, `fences`, ...), so nothing is lost on the way.
 */
export function storeDocumentOf(loaded: Loaded): StoreDocument {
  const { state } = loaded;
  const kept = Object.entries(loaded.extra ?? {}).filter(([k]) => !SNAPSHOT_KEYS.has(k) && !STATE_KEYS.has(k));
  const { seq, ...rest } = Object.fromEntries(kept);
  return {
    schema: STORE_SCHEMA,
    city: state.city,
    ...(state.demand ? { demand: state.demand } : {}),
    ...(seq !== undefined ? { seq: seq as number | null } : {}),
    beads: state.beads,
    decisions: state.decisions ?? [],
    ...rest,
  };
}

/**
 * The store document plus `snapshot` and `plan` (with `rules`, the edition it follows, as `check --json` has it). The
 * edition is also the document's own `rules`, so the snapshot reopens under the rules it was planned by (a sealed
 * city's file exported with `--rules 2026-05` would otherwise be read as 2026-08).
 */
/**
 * What a snapshot is of when the input could not be read as it was taken (the console exports what is on its
 * screen): the last good read, when it was made and why the input could not be read since.
 */
export interface LastGoodRead {
  readAt: Date;
  why: string;
}

export function exportJsonDocument(loaded: Loaded, p: Plan, now: Date, rules?: DetectedEdition, unread?: LastGoodRead): StoreDocument {
  return {
    ...storeDocumentOf(loaded),
    ...(rules ? { rules: rules.edition } : {}),
    snapshot: {
      source: { kind: loaded.source.kind, path: describeSource(loaded.source), ...(isDemo(loaded.source) ? { demo: true } : {}) },
      time: formatZ(now),
      ...(unread ? { last_good_read: formatZ(unread.readAt), input_error: unread.why } : {}),
    },
    plan: rules ? { ...publicPlan(p), rules } : publicPlan(p),
  };
}

// ---------------------------------------------------------------- markdown

/** What code() may change; text without any of it is used as it is (most bead data). */
const MARKDOWN_SPECIAL = new RegExp(`[&<>|\`${CONTROL_CLASS}]`, 'u');

/**
 * Data as a code span: its content is literal (no HTML, no entities), so only controls and `|` are handled, and
 * backticks in it get a longer fence (CommonMark: a run of backticks other than the fence's length is content).
 */
function code(s: string): string {
  if (s === '') return '';
  if (!MARKDOWN_SPECIAL.test(s)) return `\`${s}\``;
  const t = sanitize(s).replace(/\|/g, '\\|');
  if (t === '') return '';
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  // A space on each side when the text starts or ends with a backtick (CommonMark strips one from each side).
  const pad = t.startsWith('`') || t.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

/**
 * A change's value as the console's card shows it (src/ui/text.ts quoted): in quotes, its controls escaped as every
 * other value of the report is (`\e[2J`, `\x07`), not as JSON spells them (`\u001b`); null is "(absent)".
 */
function shownValue(v: string | null): string {
  return v === null ? '(absent)' : quote(v);
}

/** The incident report; with `trend` (the metrics history beside the input), a Trend section after the figures. */
export function renderMarkdown(loaded: Loaded, p: Plan, now: Date, trend?: MetricsHistory, unread?: LastGoodRead): string {
  const { state } = loaded;
  const out: string[] = [];
  const name = state.city.workspace?.name ?? shownSource(loaded.source);
  const verdict =
    driftExitCode(p) === 0 ? 'clean' : `drift: ${plural(p.repairs.length, 'repair')}, ${plural(countActionFindings(p), 'action finding')}`;
  out.push(`# gc-tui report: ${cell(name)}`, '');
  out.push(`- Source: ${isDemo(loaded.source) ? DEMO_WORDS : `${loaded.source.kind} ${code(shownSource(loaded.source))}`}`);
  out.push(`- Time: ${formatZ(now)}`);
  if (unread)
    out.push(
      `- **Input unreadable at this time** (${cell(unread.why)}): this report is of the last good read, at ${formatZ(unread.readAt)}`,
    );
  out.push(`- Verdict: ${verdict}`, '');

  out.push('## Figures', '', '| figure | value |', '| --- | ---: |');
  for (const [k, v] of Object.entries(p.metrics)) out.push(`| ${k} | ${v} |`);
  out.push('');
  if (trend) out.push(...trendMarkdown(trend));

  out.push('## Pools', '');
  const names = namepoolSizes(p);
  for (const pool of p.pools) {
    out.push(`### ${cell(pool.template)}`, '');
    // As the console's pools view: a pool its namepool bounds says so, and the most it holds is its names.
    const b = poolBoundView(pool, names.get(pool.template) ?? 0);
    const bound = b.byNames
      ? `Bounded by its namepool: at most ${b.most} names (${b.max === null ? 'no max of its own' : `its own max is ${b.max}`})`
      : `${pool.bounded ? 'Bounded' : 'Unbounded'}; max ${pool.max ?? 'none'}`;
    out.push(`${bound}, min ${pool.min}, desired ${pool.desired}.`, '');
    if (pool.slots.length === 0) out.push('No held slots.', '');
    else {
      out.push('| slot | bead | alias | state |', '| ---: | --- | --- | --- |');
      for (const s of pool.slots) out.push(`| ${s.slot} | ${code(s.beadId)} | ${code(s.alias)} | ${cell(s.state)} |`);
      out.push('');
    }
    if (pool.duplicates.length) out.push(`Refused duplicates: ${pool.duplicates.map(code).join(', ')}`, '');
  }

  out.push(`## Repairs (${p.repairs.length})`, '');
  if (p.repairs.length === 0) out.push('None.', '');
  for (const r of p.repairs) {
    out.push(`### ${cell(r.id)}`, '');
    out.push(`Bead ${code(r.beadId)}${r.template ? `, template ${code(r.template)}` : ''}: ${cell(r.reason)}`, '');
    out.push('| field | before | after |', '| --- | --- | --- |');
    for (const c of r.changes) out.push(`| ${cell(c.field)} | ${cell(shownValue(c.before))} | ${cell(shownValue(c.after))} |`);
    out.push('');
  }

  out.push(`## Findings (${p.findings.length})`, '');
  if (p.findings.length === 0) out.push('None.');
  for (const f of p.findings) {
    const about = [f.beadId && `bead ${code(f.beadId)}`, f.workId && `work ${code(f.workId)}`, f.template && `template ${code(f.template)}`]
      .filter(Boolean)
      .join(', ');
    out.push(`- **${f.severity}** ${f.kind}${about ? ` (${about})` : ''}: ${cell(f.message)}`);
  }
  out.push('');

  const decisions = state.decisions ?? [];
  out.push(`## Decisions (${decisions.length})`, '');
  if (decisions.length === 0) out.push('None.');
  else {
    out.push('| repair | decision | by | at | reason |', '| --- | --- | --- | --- | --- |');
    for (const d of decisions)
      out.push(`| ${cell(d.repair)} | ${cell(String(d.decision))} | ${cell(d.by ?? '')} | ${cell(d.at ?? '')} | ${cell(d.reason ?? '')} |`);
  }
  out.push('');
  return out.join('\n');
}

// ---------------------------------------------------------------- csv

export const CSV_COLUMNS = [
  'bead_id',
  'template',
  'status',
  'state',
  'agent_name',
  'alias',
  'pool_slot',
  'owned_slot',
  'role',
  'session_name',
  'created_at',
  'updated_at',
  'repairs',
  'findings',
] as const;

/** A plain number (`-2`, `3.5`): a spreadsheet reads it as that number, nothing to neutralise. */
const PLAIN_NUMBER = /^[+-]?[0-9]+(\.[0-9]+)?$/;

/**
 * RFC 4180: quote a field holding a comma, quote or line break; double the quotes inside. A field a spreadsheet
 * would run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR: `=HYPERLINK(…)`, `@SUM(A1)`, `-2+3`) is
 * neutralised as OWASP recommends: prefixed with `'` and quoted, so it shows as the text it is.
 */
export function csvField(s: string): string {
  if (/^[=+\-@\t\r]/.test(s) && !PLAIN_NUMBER.test(s)) return `"'${s.replace(/"/g, '""')}"`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** What csvCell() may change (controls, quotes, commas, line breaks, a leading formula character). */
const CSV_SPECIAL = new RegExp(`^[=+\\-@]|[",${CONTROL_CLASS}]`, 'u');

/** One csv cell of data: controls made visible (sanitize), then csvField (quoting, formulas neutralised). */
export function csvCell(value: string): string {
  // Most bead data needs neither: then the cell is the value itself.
  if (value === '' || !CSV_SPECIAL.test(value)) return value;
  return csvField(sanitize(value));
}

/**
 * Where each bead sits in the plan's pools: the slot it holds (incumbent), or null for a refused duplicate; the
 * first pool wins. One map (not one per role): a csv row looks each bead up once.
 */
function poolRolesOf(p: Plan): Map<string, number | null> {
  const roles = new Map<string, number | null>();
  for (const pool of p.pools) {
    // A bead is looked up pool by pool: its first pool decides, whether it holds a slot or is a duplicate there.
    for (const s of pool.slots) if (!roles.has(s.beadId)) roles.set(s.beadId, s.slot);
    for (const id of pool.duplicates) if (!roles.has(id)) roles.set(id, null);
  }
  return roles;
}

/** The role column: a held slot or refused duplicate first, then closed, named, pool-managed without a slot. */
function roleOf(b: Bead, info: BeadBrief | undefined, held: number | null | undefined): string {
  if (held !== undefined) return held === null ? 'duplicate' : 'incumbent';
  if (b.status === 'closed') return 'closed';
  if (info?.named) return 'named';
  return info?.poolManaged ? 'no-slot' : 'unmanaged';
}

/** The owned_slot column: the slot an incumbent holds, or the one a duplicate claims. */
function slotOf(info: BeadBrief | undefined, held: number | null | undefined): string {
  if (held === undefined) return '';
  if (held !== null) return String(held);
  return info && info.ownedSlot > 0 ? String(info.ownedSlot) : '';
}

/** The kinds of the items about each bead, in the plan's order. */
function kindsByBead(items: readonly { beadId?: string; kind: string }[]): Map<string, string[]> {
  const by = new Map<string, string[]>();
  for (const x of items) {
    if (x.beadId === undefined) continue;
    const list = by.get(x.beadId);
    if (list) list.push(x.kind);
    else by.set(x.beadId, [x.kind]);
  }
  return by;
}

/**
 * The ids in byte order: `beads` as they are when already sorted (a file written in id order), else sorted by
 * sortByBytes, which compares natively unless an id holds a surrogate (a third less CPU than compareBytes on the
 * 80 000 session beads of a 100 000-bead store not kept in id order).
 */
function byId(beads: Bead[]): Bead[] {
  for (let i = 1; i < beads.length; i++) if (compareBytes(beads[i - 1].id, beads[i].id) > 0) return sortByBytes(beads, idOf);
  return beads;
}

const idOf = (b: Bead): string => b.id;

/** Rows per part of the csv: parts are written one by one, so no 100 000-row text is ever made. */
const CSV_ROWS_PER_PART = 1000;

/** renderCsv's text handed to `emit` in parts (the header, then CSV_ROWS_PER_PART rows at a time), as it is made. */
export function emitCsv(emit: (part: string) => void, loaded: Loaded, p: Plan): void {
  const sessions = byId(loaded.state.beads.filter((b) => b.issue_type === 'session'));
  const roles = poolRolesOf(p);
  const briefOf = beadBriefs(p);
  const repairsOf = kindsByBead(p.repairs);
  const findingsOf = kindsByBead(p.findings);
  emit(CSV_COLUMNS.join(',') + '\n');
  let rows: string[] = [];
  for (const b of sessions) {
    const m = b.metadata ?? {};
    const info = briefOf(b.id);
    const held = roles.get(b.id);
    const repairs = repairsOf.get(b.id);
    const findings = findingsOf.get(b.id);
    rows.push(
      csvCell(b.id) +
        ',' +
        csvCell(String(info?.template ?? m.template ?? '')) +
        ',' +
        csvCell(String(b.status ?? '')) +
        ',' +
        csvCell(String(m.state ?? '')) +
        ',' +
        csvCell(String(m.agent_name ?? '')) +
        ',' +
        csvCell(String(m.alias ?? '')) +
        ',' +
        csvCell(String(m.pool_slot ?? '')) +
        ',' +
        slotOf(info, held) +
        ',' +
        roleOf(b, info, held) +
        ',' +
        csvCell(String(m.session_name ?? '')) +
        ',' +
        csvCell(String(b.created_at ?? '')) +
        ',' +
        csvCell(String(b.updated_at ?? '')) +
        ',' +
        (repairs ? csvCell(repairs.join(';')) : '') +
        ',' +
        (findings ? csvCell(findings.join(';')) : '') +
        '\n',
    );
    if (rows.length === CSV_ROWS_PER_PART) {
      emit(rows.join(''));
      rows = [];
    }
  }
  if (rows.length) emit(rows.join(''));
}

export function renderCsv(loaded: Loaded, p: Plan): string {
  const parts: string[] = [];
  emitCsv((part) => parts.push(part), loaded, p);
  return parts.join('');
}
