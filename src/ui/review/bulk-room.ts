// How many lines of the bulk review pane a terminal shows: what App gives it (the list and detail area, as the
// inspect pane has, less its title line) once the status area has taken the lines its count prompt needs. The
// key handlers size the pane with it before it opens (a pane too short for one repair's diff is refused) and page it.
import type { AppState } from '../../console/state.js';
import { dialogOf, type UiState } from '../../console/ui-state.js';
import { frameLayout, messageAbove, promptIn } from '../components/StatusLine.js';
import { radiusChange } from './confirm-radius.js';
import { countWhole } from '../components/status-lines.js';
import { markedScrollIn, paneLines } from './bulk.js';

export function bulkRoom(s: AppState, ui: UiState = s.ui): number {
  const l = frameLayout(s, ui);
  return l.tooSmall ? 0 : Math.max(0, l.list + l.detail + 1);
}

/**
 * Whether the count prompt open in `ui` (or about to open: `ui.mode` is it) shows its count, and how many of the marked
 * repairs are hidden, uncut on this terminal: as StatusLine lays it out (the lines the layout gives the status area,
 * less the one or two for a message above it). True when no count prompt is open.
 */
export function countShown(s: AppState, ui: UiState = s.ui): boolean {
  const d = dialogOf(ui.mode);
  if (d?.kind !== 'count') return true;
  const width = Math.max(1, ui.viewport.columns);
  const l = frameLayout(s, ui);
  const over = messageAbove(ui.mode, ui.message, l.status, width, promptIn(ui, width, radiusChange(s, ui.mode)?.what ?? null));
  return !l.tooSmall && countWhole(d, width, l.status - over);
}

/**
 * Whether the list of the marked repairs above the count prompt open in `s` holds more than its pane shows (bulk.ts
 * markedWindow): only then do ↓/↑/PgDn/PgUp scroll it, and only then does the footer offer them.
 */
export function markedScrolls(s: AppState): boolean {
  const d = dialogOf(s.ui.mode);
  if (d?.kind !== 'count' || !d.marked) return false;
  return markedScrollIn(d.repairs.length, bulkRoom(s));
}

/**
 * Whether the bulk review pane open in `s` holds more lines than it shows (BulkPane: the room under its title): only
 * then do its scroll keys move it, and only then does the footer offer them.
 */
export function bulkScrolls(s: AppState): boolean {
  const d = dialogOf(s.ui.mode);
  if (d?.kind !== 'bulk') return false;
  return paneLines(d, Math.max(1, s.ui.viewport.columns)).lines.length > bulkRoom(s);
}
