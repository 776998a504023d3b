// The console's root: chrome around the current view. Every section has a fixed height computed by
// layout(), so the frame never grows past the terminal whatever the data holds.
import { Box, Text } from 'ink';
import { useEffect, useMemo, type ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { patrolIntervalMs, sameChanges } from '../engine/index.js';
import { localServices, type ConsoleServices } from '../console/services.js';
import type { AppStore } from '../console/state.js';
import { scopeOf } from './actions.js';
import { firstKey, type Scope } from './keymap.js';
import { Banner } from './components/Banner.js';
import { BulkPane, MarkedPane } from './components/BulkPane.js';
import { Detail } from './components/Detail.js';
import { Footer } from './components/Footer.js';
import { Header } from './components/Header.js';
import { Help } from './components/Help.js';
import { InspectPane } from './components/InspectPane.js';
import { cardBody, compactCardHeight, RepairCard } from './components/RepairCard.js';
import { StatusLine, useFrameLayout } from './components/StatusLine.js';
import { contentWidths } from './components/fit-columns.js';
import { Table } from './components/Table.js';
import { TrendPane } from './components/TrendPane.js';
import { ViewBar } from './components/ViewBar.js';
import { AppStoreContext, ServicesContext, useApp, useAppStoreApi } from './hooks/use-app-store.js';
import { useKeys } from './hooks/use-keys.js';
import { useMovedOnWait } from './hooks/use-moved-on-wait.js';
import { NowContext, useNow, wallClock, type Now } from './hooks/use-now.js';
import { useViewport } from './hooks/use-viewport.js';
import { wrapInspect } from './inspect.js';
import { tooSmallLine } from './layout.js';
import { cardContext, noteSeen, reviewSelection, seenPatch } from './review/selection.js';
import { radiusFolded, radiusFoldOf } from './review/confirm-radius.js';
import { bulkIdle, nextIdle } from './review/handlers.js';
import { dropMovedMarks } from './review/marks.js';
import { leaveOutMovedRadius } from './review/bulk-radius.js';
import { backlogLine } from './rows/repairs.js';
import { unreadableText } from './rows/audit.js';
import { markSorted, sortLabel } from './rows/sort.js';
import { makeTheme, type Theme } from './theme.js';
import { poolDetail, poolGone, viewInput, viewModelOf, VIEWS, windowTop, type ViewInput } from './views/registry.js';
import type { Glance } from '../console/glance.js';
import { emptySet, type ViewId } from '../console/ui-state.js';
import { clean, groupDigits } from './text.js';
import { glanceModel } from './views/glance.js';

export interface AppProps {
  store: AppStore;
  /** What the key handlers use beside the store: the live reader's (default: this thread, no re-read, the wall clock). */
  services?: ConsoleServices;
  color?: boolean;
  /** The monotonic clock of what the console times in the operator's hands (use-now.ts); tests move it themselves. */
  now?: Now;
}

export function App({ store, services, color = true, now = wallClock }: AppProps) {
  const theme = useMemo(() => makeTheme(color), [color]);
  const local = useMemo(() => (services ? null : localServices()), [services]);
  return (
    <AppStoreContext.Provider value={store}>
      <ServicesContext.Provider value={services ?? local}>
        <NowContext.Provider value={now}>
          <Console theme={theme} />
        </NowContext.Provider>
      </ServicesContext.Provider>
    </AppStoreContext.Provider>
  );
}

function Console({ theme }: { theme: Theme }) {
  useViewport();
  useKeys();
  const rows = useApp((s) => s.ui.viewport.rows);
  const columns = useApp((s) => s.ui.viewport.columns);
  const mode = useApp((s) => s.ui.mode);
  const scope = useApp(scopeOf);
  // A dialog or prompt too long for one line wraps over more: the layout takes them from the list.
  const l = useFrameLayout();
  const store = useAppStoreApi();
  // The frame's size, for the keys of a dialog (use-keys.ts). The too-small line shows no card: what the last card
  // showed no longer counts as on screen, so nothing is decided on it until a frame shows it again.
  useEffect(() => {
    const ui = store.getState().ui;
    if (l.tooSmall) {
      if (ui.frameShown || ui.cardShown || ui.diffOnScreen)
        store.getState().patchUi({ frameShown: null, cardShown: null, diffOnScreen: null });
    } else if (ui.frameShown?.rows !== rows || ui.frameShown.columns !== columns)
      store.getState().patchUi({ frameShown: { rows, columns } });
  }, [store, l.tooSmall, rows, columns]);
  // A marked destructive repair whose blast radius a new plan changed loses its mark (review/marks.ts), and one the bulk
  // pane lists is left out (review/bulk-radius.ts). A subscription, not a selector: the console's whole tree need not
  // render again for it at every plan.
  useEffect(() => {
    dropMovedMarks(store);
    return store.subscribe((s, was) => {
      if (s.current === was.current) return;
      dropMovedMarks(store);
      leaveOutMovedRadius(store);
    });
  }, [store]);
  // A confirmation whose blast radius took its diff's rows at this size leaves it out at this size from then on.
  const fold = useApp((s) => radiusFoldOf(s.ui));
  useEffect(() => {
    if (fold) store.getState().patchUi(radiusFolded(store.getState().ui, fold));
  }, [store, fold]);

  if (l.tooSmall) {
    return (
      <Box flexDirection="column" height={l.frame} width={l.width} overflow="hidden">
        <Text wrap="truncate-end">{tooSmallLine(columns, rows)}</Text>
      </Box>
    );
  }
  return (
    <Box flexDirection="column" height={l.frame} width={l.width} overflow="hidden">
      <Header theme={theme} width={l.width} />
      <Banner theme={theme} width={l.width} />
      {mode === 'help' ? (
        <>
          <Help height={l.list + l.detail + 2} width={l.width} theme={theme} />
          <StatusLine theme={theme} width={l.width} context={null} height={l.status} />
          <Footer scope={scope} theme={theme} width={l.width} />
        </>
      ) : mode === 'inspect' ? (
        <>
          <InspectPane height={l.list + l.detail + 2} width={l.width} theme={theme} />
          <StatusLine theme={theme} width={l.width} context={null} height={l.status} />
          <Footer scope={scope} theme={theme} width={l.width} />
        </>
      ) : typeof mode === 'object' && (mode.kind === 'bulk' || (mode.kind === 'count' && mode.marked)) ? (
        // `A`'s set in front of the operator while its count is typed: listed with diffs, or the marked ones.
        <>
          {mode.kind === 'bulk' ? (
            <BulkPane height={l.list + l.detail + 2} width={l.width} theme={theme} />
          ) : (
            <MarkedPane height={l.list + l.detail + 2} width={l.width} theme={theme} />
          )}
          <StatusLine theme={theme} width={l.width} context={null} height={l.status} />
          <Footer scope={scope} theme={theme} width={l.width} />
        </>
      ) : (
        // The view draws the footer under itself: the keys it offers follow the card of this very frame.
        <ViewBody theme={theme} scope={scope} listHeight={l.list} detailHeight={l.detail} statusHeight={l.status} width={l.width} />
      )}
    </Box>
  );
}

/**
 * A view's bar and one dim line while what it shows is on its way, and the status line at the bottom: a key pressed
 * meanwhile says why it does nothing yet (`a`: the beads are still arriving), never nothing at all.
 */
function Waiting({
  view,
  filter,
  theme,
  width,
  height,
  statusHeight,
  text,
}: {
  view: ViewId;
  filter: string;
  theme: Theme;
  width: number;
  height: number;
  statusHeight: number;
  text: string;
}) {
  return (
    <Box flexDirection="column" height={height} width={width} flexShrink={0}>
      <ViewBar view={view} subject={null} top={0} visible={0} shown={0} total={0} filter={filter} theme={theme} width={width} />
      <Box height={Math.max(0, height - 1 - statusHeight)} flexShrink={0} overflow="hidden">
        <Text color={theme.tone('dim')}> {text}</Text>
      </Box>
      <StatusLine theme={theme} width={width} context={null} height={statusHeight} />
    </Box>
  );
}

/**
 * The first read's first look (console/glance.ts) while its beads are on their way: the header's figures and the
 * pools view as they will be once the beads are here; the other views say they wait for them. Keys that act on
 * rows wait for the beads too.
 */
function GlanceBody({
  glance,
  input,
  theme,
  listHeight,
  detailHeight,
  statusHeight,
  width,
}: {
  glance: Glance;
  input: ViewInput;
  theme: Theme;
  listHeight: number;
  detailHeight: number;
  statusHeight: number;
  width: number;
}) {
  const { view, filter } = input;
  const height = listHeight + detailHeight + 2 + statusHeight;
  if (view !== 'pools') {
    return (
      <Waiting
        view={view}
        filter={filter}
        theme={theme}
        width={width}
        height={height}
        statusHeight={statusHeight}
        text={`Receiving ${groupDigits(glance.beads)} beads…`}
      />
    );
  }
  const { table, templates, rows, index, top: lastTop } = glanceModel(glance, input);
  const heads = markSorted(table.columns, contentWidths(table.columns, table.rows), input.sort);
  const top = windowTop(lastTop, index, listHeight, rows.length);
  const key = rows[index]?.key;
  const pool = glance.pools.find((p) => p.template === key);
  const detail = pool && detailHeight > 0 ? poolDetail(templates.get(pool.template), pool.duplicates) : [];
  return (
    <Box flexDirection="column" height={height} width={width} flexShrink={0}>
      <ViewBar
        view={view}
        subject={null}
        top={top}
        visible={listHeight}
        shown={rows.length}
        total={table.rows.length}
        filter={filter}
        sort={sortLabel(table.columns, input.sort)}
        theme={theme}
        width={width}
      />
      <Table
        columns={heads.columns}
        content={heads.content}
        rows={rows.slice(top, top + listHeight)}
        top={top}
        total={rows.length}
        height={listHeight}
        width={width}
        cursor={index}
        changed={emptySet}
        theme={theme}
        empty={filter ? `No rows match "${filter}" (${firstKey('pools', 'clear-filter')} clears).` : VIEWS.pools.empty}
      />
      <Detail lines={detail} height={detailHeight} width={width} theme={theme} />
      <StatusLine theme={theme} width={width} context={null} height={statusHeight} />
    </Box>
  );
}

/** Rows of the review queue kept on screen when the card under it borrows rows for its diff. */
const MIN_QUEUE = 5;

function ViewBody({
  theme,
  scope,
  listHeight,
  detailHeight,
  statusHeight,
  width,
}: {
  theme: Theme;
  scope: Scope;
  listHeight: number;
  detailHeight: number;
  statusHeight: number;
  width: number;
}) {
  // What the view model reads, and nothing else: a new object only when one of its fields changed.
  const input = useApp(useShallow((s) => viewInput(s, s.ui.view)));
  const { view, filter, cursor } = input;
  const changed = useApp((s) => s.ui.changed);
  const review = useApp((s) => s.ui.review);
  const card = useApp((s) => s.ui.card);
  const seen = useApp((s) => s.ui.seen);
  const cardKey = useApp((s) => s.ui.cardScroll.key);
  const cardTop = useApp((s) => s.ui.cardScroll.top);
  const diffSeenLines = useApp((s) => s.ui.diffSeenLines);
  // `A` would do nothing here (no undecided repair to list, a diff too tall for its pane): the card's title bar does not offer it.
  const idleBulk = useApp((s) => s.ui.view === 'repairs' && s.ui.card && bulkIdle(s));
  // `n` and `s` would go nowhere (no undecided repair below this one): neither the title bar nor the card's status line
  // offers them.
  const idleNext = useApp((s) => s.ui.view === 'repairs' && nextIdle(s));
  // What else decides the card's room in this frame (recorded with it: cardShown).
  const viewRows = useApp((s) => s.ui.viewport.rows);
  const viewColumns = useApp((s) => s.ui.viewport.columns);
  const message = useApp((s) => s.ui.message);
  const readOnly = useApp((s) => s.readOnly);
  const marks = useApp((s) => s.ui.marks);
  const changedBy = useApp((s) => s.ui.changedBy);
  const auditError = useApp((s) => s.auditError);
  const audit = useApp((s) => s.audit);
  // Lines of the audit log it could not read (torn, garbage): said in the audit view, never blocking.
  const auditUnreadable = useApp((s) => unreadableText(s.audit));
  const glance = useApp((s) => (s.current ? null : s.glance));
  const store = useAppStoreApi();
  const now = useNow();
  // The selection moved on to this repair by itself a moment ago: the card, its title bar and the footer (one value,
  // one frame) offer none of the decisions that wait it out.
  const waiting = useMovedOnWait(view === 'repairs');

  // Derived rows are cached per plan; this only re-runs the cheap lookup of the cursor row.
  const vm = useMemo(() => viewModelOf(input), [input]);
  // The sorted column's title carries the arrow (and the room for it).
  const heads = useMemo(
    () => (vm ? markSorted(vm.table.columns, contentWidths(vm.table.columns, vm.table.rows), input.sort) : null),
    [vm, input.sort],
  );
  const sel = useMemo(() => (vm && view === 'repairs' ? reviewSelection(vm, seen) : null), [vm, view, seen]);
  // The row the screen shows as selected (in the repairs view: the repair on the card, even one that left the plan).
  const shownKey = sel ? sel.id : (vm?.rows[vm.index]?.key ?? null);

  // The cursor is keyed by row id from the first frame (and after a filter hid its row): a refresh that
  // inserts or removes rows above it never moves it to another row.
  useEffect(() => {
    if (vm && shownKey !== null && cursor.key !== shownKey)
      store.getState().setCursor(view, { key: shownKey, index: vm.index, top: vm.top });
  }, [store, vm, view, cursor.key, shownKey]);
  // The repairs view shows the selected repair's card: under the queue, or (enter) in place of it.
  const entry = sel?.entry ?? null;
  const ctx = cardContext(sel, { readOnly, marks, audit, waiting, lastUndecided: idleNext, changedBy });
  // The audit entries read when a version is first on the card: what another console applies after it counts.
  const seenRepair = sel?.seen ?? null;
  useEffect(() => {
    if (seenRepair) noteSeen(seenRepair, store.getState().audit.length);
  }, [store, seenRepair]);
  const outcome = entry ? review[entry.key] : undefined;
  // A short review queue lends its empty rows to the card under it, and a long one lends rows (down to
  // MIN_QUEUE) until the card's diff shows: it is what `a` writes. The frame height stays the same.
  const spare = vm && view === 'repairs' && !card ? Math.max(0, listHeight - Math.max(vm.rows.length, 3)) : 0;
  const wanted = vm && view === 'repairs' && !card ? compactCardHeight(vm.derived, entry, outcome, ctx, width) : 0;
  const lent = Math.max(0, Math.min(wanted - detailHeight - spare, listHeight - spare - MIN_QUEUE));
  const full = view === 'repairs' && card && (entry !== null || sel?.state === 'gone');
  // A card that stays while its row is not in the list (gone, or hidden by the filter): no row is the cursor's.
  const away = sel?.state === 'gone' || sel?.state === 'hidden';
  const shownCard =
    vm && view === 'repairs'
      ? cardBody({
          derived: vm.derived,
          entry,
          outcome,
          height: full ? listHeight + 1 + detailHeight : detailHeight + spare + lent,
          width,
          full,
          ctx,
          top: full && sel && cardKey === sel.id ? cardTop : 0,
        })
      : null;
  // The full card scrolled through a change taller than itself: the lines it showed before, of this very version,
  // count with the ones it shows now (by key: a line's place in the change and its text, so a resize that folds
  // the change otherwise asks for its new lines).
  // A refresh brings a new repair object: its lines still count when its changes are the same.
  const before =
    full && entry && diffSeenLines?.id === entry.key && sameChanges(diffSeenLines.repair.changes, entry.repair.changes)
      ? diffSeenLines.lines
      : null;
  const seenLines = shownCard && full && entry ? new Set([...(before ?? []), ...shownCard.writesShown]) : null;
  useEffect(() => {
    if (seenLines && entry && seenLines.size !== (before?.length ?? -1))
      store.getState().patchUi({ diffSeenLines: { id: entry.key, repair: entry.repair, lines: [...seenLines] } });
  }, [store, entry, seenLines, before]);
  // The frame that shows a repair's whole diff (or its last part, the rest shown before) records that version:
  // an approval applies it, and only it.
  const scrolledWhole = !!shownCard && !!seenLines && shownCard.writeKeys.length > 0 && shownCard.writeKeys.every((k) => seenLines.has(k));
  const whole = (shownCard?.diffShown || scrolledWhole) && entry ? entry : null;
  const unseen = sel?.state === 'unseen' && whole ? whole : null;
  useEffect(() => {
    if (unseen) store.getState().patchUi(seenPatch(store.getState().ui, unseen.key, unseen.repair));
  }, [store, unseen]);
  useEffect(() => {
    const was = store.getState().ui.diffOnScreen;
    if (was?.repair !== whole?.repair) store.getState().patchUi({ diffOnScreen: whole ? { id: whole.key, repair: whole.repair } : null });
  }, [store, whole]);
  // Last of this frame's records (effects run in order): the card on screen, which decision keys typed ahead wait for.
  useEffect(() => {
    const was = store.getState().ui.cardShown;
    const shown =
      shownCard && entry ? { id: entry.key, repair: entry.repair, rows: viewRows, columns: viewColumns, message, full: card } : null;
    if (
      was?.id !== shown?.id ||
      was?.repair !== shown?.repair ||
      was?.rows !== shown?.rows ||
      was?.columns !== shown?.columns ||
      was?.message !== shown?.message ||
      was?.full !== shown?.full
    ) {
      // The card the selection moved on to by itself is on screen from now: a decision on it waits a moment (actions.ts).
      const movedOn =
        shown && shown.id === store.getState().ui.movedOnTo ? { movedOnTo: null, movedOnShown: { id: shown.id, at: now() } } : {};
      store.getState().patchUi({ cardShown: shown, ...movedOn });
    }
  }, [store, shownCard, entry, viewRows, viewColumns, message, card, now]);
  // This frame's card shows only part of its repair's diff: the footer under it and the full card's title bar offer
  // no a, r or space. Judged here, for this frame: the records above are the last frame's until its effects run.
  const partly = !!shownCard && !!entry && !whole;
  const withFooter = (body: ReactNode) => (
    <>
      {body}
      <Footer scope={scope} theme={theme} width={width} partly={partly} waiting={waiting} />
    </>
  );

  if (!vm && glance) {
    return withFooter(
      <GlanceBody
        glance={glance}
        input={input}
        theme={theme}
        listHeight={listHeight}
        detailHeight={detailHeight}
        statusHeight={statusHeight}
        width={width}
      />,
    );
  }
  if (!vm) {
    return withFooter(
      <Waiting
        view={view}
        filter={filter}
        theme={theme}
        width={width}
        height={listHeight + detailHeight + 2 + statusHeight}
        statusHeight={statusHeight}
        text="Reading the input…"
      />,
    );
  }
  const key = vm.rows[vm.index]?.key;
  // The slots of a pool a reload took out of the config: said on the bar, in the list, below it and on the status line.
  const gone = poolGone(vm);
  const lines =
    view !== 'repairs' && key !== undefined && detailHeight > 0 ? vm.view.detail(vm.derived, key, vm.pool, input) : (gone?.detail ?? []);
  // An audit entry's note and reason are prose an operator reads: wrapped over the lines the detail has, not cut at the
  // edge (what still does not fit, Detail's last line counts and sends to `enter`).
  const detail = view === 'audit' ? wrapInspect(lines, width) : lines;
  // A short audit log lends its empty rows to the detail under it, as many as the entry's lines need (every change).
  const borrowed =
    view === 'audit' && detailHeight > 0 ? Math.min(listHeight - Math.max(vm.rows.length, 3), detail.length + 1 - detailHeight) : 0;
  const detailRows = detailHeight + Math.max(0, borrowed);
  const shownList = listHeight - spare - lent - (detailRows - detailHeight);
  const cardHeight = detailHeight + spare + lent;
  const top = windowTop(vm.top, vm.index, shownList, vm.rows.length);
  // The repairs of one bead (`r` drill-down): said on the bar, with the way back.
  const drill = input.bead !== null ? `only ${input.pool ? 'pool ' : ''}${input.bead}` : null;
  const subject =
    view === 'slots'
      ? `pool ${vm.pool ?? '–'}${gone ? ' (gone)' : ''}`
      : drill && `${drill} (${firstKey('repairs', 'clear-filter')}: back)`;
  // The backlog ETA uses the patrol interval of the data on screen: a changed daemon.patrol_interval shows at once.
  const context =
    view === 'repairs'
      ? backlogLine(vm.derived, patrolIntervalMs(vm.derived.snap.state.city))
      : view === 'audit' && auditError
        ? `audit log unreadable: ${auditError}`
        : view === 'audit' && auditUnreadable
          ? auditUnreadable
          : (gone?.context ?? null);
  const bar = (
    <ViewBar
      view={view}
      subject={full ? (drill ? `card · ${drill}` : 'card') : subject}
      top={top}
      visible={shownList}
      shown={vm.rows.length}
      total={vm.table.rows.length}
      filter={filter}
      sort={sortLabel(vm.table.columns, input.sort)}
      marked={view === 'repairs' ? marks.size : 0}
      theme={theme}
      width={width}
    />
  );
  if (view === 'trend') {
    return withFooter(
      <Box flexDirection="column" height={listHeight + detailHeight + 2 + statusHeight} width={width} flexShrink={0}>
        {bar}
        <TrendPane height={listHeight + 1 + detailHeight} width={width} theme={theme} />
        <StatusLine theme={theme} width={width} context={context} height={statusHeight} />
      </Box>,
    );
  }
  if (full) {
    return withFooter(
      <Box flexDirection="column" height={listHeight + detailHeight + 2 + statusHeight} width={width} flexShrink={0}>
        {bar}
        <RepairCard
          body={shownCard?.body ?? []}
          height={listHeight + 1 + detailHeight}
          width={width}
          theme={theme}
          full
          readOnly={readOnly}
          status={entry?.status ?? 'none'}
          id={shownCard?.diffFirst ? (entry?.key ?? sel?.id ?? undefined) : undefined}
          marked={marks.size > 0}
          partly={partly}
          idleBulk={idleBulk}
          idleNext={idleNext}
          waiting={waiting}
        />
        <StatusLine theme={theme} width={width} context={context} height={statusHeight} />
      </Box>,
    );
  }
  return withFooter(
    <Box flexDirection="column" height={listHeight + detailHeight + 2 + statusHeight} width={width} flexShrink={0}>
      {bar}
      <Table
        columns={heads?.columns ?? vm.table.columns}
        content={heads?.content ?? contentWidths(vm.table.columns, vm.table.rows)}
        rows={vm.rows.slice(top, top + shownList)}
        top={top}
        total={vm.rows.length}
        height={shownList}
        width={width}
        cursor={away ? -1 : vm.index}
        changed={changed}
        marks={view === 'repairs' ? marks : undefined}
        theme={theme}
        empty={
          gone
            ? gone.empty
            : filter
              ? `No rows match "${filter}" (${firstKey(view, 'clear-filter')} clears).`
              : input.bead !== null
                ? `No repairs left for ${clean(input.bead)} (${firstKey('repairs', 'clear-filter')}: back).`
                : vm.view.empty
        }
      />
      {view === 'repairs' ? (
        <RepairCard body={shownCard?.body ?? []} height={cardHeight} width={width} theme={theme} full={false} readOnly={readOnly} />
      ) : (
        <Detail
          lines={detail}
          height={detailRows}
          width={width}
          theme={theme}
          more={view === 'audit' ? `${firstKey('audit', 'inspect-row')} shows the entry in full` : undefined}
        />
      )}
      <StatusLine theme={theme} width={width} context={context} contextTone={gone ? 'warn' : 'dim'} height={statusHeight} />
    </Box>,
  );
}
