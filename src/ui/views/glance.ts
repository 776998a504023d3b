// The pools view of the first look (console/glance.ts): while the first read's beads are on their way, the
// screen shows the pools as they will be, and the keys that act on its rows (move, open a pool, sort, :pool)
// act on these, by row key, so that the cursor is where the operator put it once the beads are here.
import type { AppState } from '../../console/state.js';
import type { Glance } from '../../console/glance.js';
import type { TemplateDetail } from '../../engine/types.js';
import { filterRows } from '../rows/filter.js';
import { poolsTableOf } from '../rows/pools.js';
import { sortRows } from '../rows/sort.js';
import type { Row, Table } from '../rows/types.js';
import { viewInput, viewModel, type ViewInput } from './registry.js';

export interface GlanceModel {
  table: Table;
  /** The templates' details by name (the pool card). */
  templates: ReadonlyMap<string, TemplateDetail>;
  /** Rows after the sort and the filter. */
  rows: Row[];
  /** Cursor row index in `rows` (0 when empty). */
  index: number;
  top: number;
}

/** The pools table of a first look, made once per first look. */
const tables = new WeakMap<Glance, { table: Table; templates: Map<string, TemplateDetail> }>();

function glanceTable(g: Glance): { table: Table; templates: Map<string, TemplateDetail> } {
  let t = tables.get(g);
  if (!t) {
    const templates = new Map(g.templates.map((x) => [x.template, x]));
    t = { table: poolsTableOf(g.pools, templates), templates };
    tables.set(g, t);
  }
  return t;
}

/** The pools view of a first look under the view's sort, filter and cursor (the cursor follows its row key). */
export function glanceModel(g: Glance, input: ViewInput): GlanceModel {
  const { table, templates } = glanceTable(g);
  const rows = filterRows(sortRows(table.rows, input.sort), input.filter);
  const { cursor } = input;
  const at = cursor.key !== null ? rows.findIndex((r) => r.key === cursor.key) : -1;
  const index = at >= 0 ? at : Math.min(Math.max(cursor.index, 0), Math.max(rows.length - 1, 0));
  return { table, templates, rows, index, top: cursor.top };
}

/** The pools view's rows as the screen shows them: the first read's, or its first look's while its beads are on their way. */
export function poolsModel(s: AppState): Pick<GlanceModel, 'table' | 'rows' | 'index' | 'top'> | null {
  const vm = viewModel(s, 'pools');
  if (vm) return vm;
  return !s.current && s.glance ? glanceModel(s.glance, viewInput(s, 'pools', null)) : null;
}
