// Aliases view: every name an open session bead claims (alias, session_name, agent_name, a named
// session's reserved identity), who holds it, and the conflicts recorded against it.
import { compareBytes, parseInstant } from '../../engine/index.js';
import type { Bead, BeadInfo } from '../../engine/types.js';
import { clean, formatAge } from '../text.js';
import { runAtOnce, runSliced, sliceDue, sortInSteps, type Derived } from './derive.js';
import { beadDetailOf } from './bead-details.js';
import type { Tone } from '../theme.js';
import { hasIndex, IndexMaker, patchedIndexSteps } from './filter.js';
import { NearPlaces } from './kept-places.js';
import { rowList } from './row-list.js';
import { ID_COLUMN, searchText, type Column, type Row, type Table } from './types.js';
import { PackedContent, packWidths } from '../components/fit-columns.js';

type ClaimKind = 'alias' | 'session_name' | 'agent_name' | 'named identity' | 'wanted';

const md = (b: Bead | undefined, k: string): string => {
  const v = b?.metadata?.[k];
  return typeof v === 'string' ? v : '';
};

function conflictText(d: Derived, wanter: Bead | undefined): string {
  const count = md(wanter, 'pool_alias_conflict_count') || '1';
  // Read as the engine reads every time (as Go does): a time it cannot read has no age.
  const at = parseInstant(md(wanter, 'pool_alias_conflict_at'));
  const age = at === null ? 'age unknown' : `${formatAge(d.snap.plannedAt - at)} ago`;
  return `×${count}, ${age}`;
}

// Any UTF-16 surrogate (a character beyond U+FFFF): only then does byte order differ from JavaScript's own.
const SURROGATE = /[\uD800-\uDFFF]/;

/** The CONFLICT cell of a contested name stands out. */
const CONFLICT_TONES: (Tone | undefined)[] = [undefined, undefined, undefined, undefined, 'error'];

const KINDS: readonly ClaimKind[] = ['alias', 'session_name', 'agent_name', 'named identity', 'wanted'];
const KIND_OF = new Map(KINDS.map((k, i) => [k, i]));
/** The order of one name's claims, by kind (its place in KINDS): alias, named identity, agent_name, session_name, wanted. */
const RANK = [0, 3, 2, 1, 4];
const ALIAS = KIND_OF.get('alias')!;
const SESSION_NAME = KIND_OF.get('session_name')!;
const AGENT_NAME = KIND_OF.get('agent_name')!;
const NAMED = KIND_OF.get('named identity')!;
const WANTED = KIND_OF.get('wanted')!;
/** The kinds of claim that make their claimant the name's holder (HELD_KINDS). */
const held = (kind: number): boolean => kind < NAMED;

/**
 * The aliases list, held as columns (row-list.ts): row `k` is the claim `order[k]` of the claims' lists (its name, kind
 * and claimant), shared with the claims' making (lastClaims), with its holder's bead, its conflict text (a few rows have
 * one) and its cells' widths (packWidths). A row is an object only while it is read (AliasRow). As an object of its
 * own per row (three or four fields, its holder's bead among them), the 216 000 rows at 100 000 beads were 10.4 MB of
 * the console's heap and their list 0.9 MB, held from the views' making to the next read; the columns are about
 * 2 MB (docs/speed.md).
 */
interface AliasList {
  claims: Claims;
  order: Int32Array;
  /** The details whose places the claimants are. */
  infos: readonly BeadInfo[];
  /** The bead of each detail's place that holds a row's claim (d.beadById's), by place. */
  beads: (Bead | undefined)[];
  /** The holder's place of each row whose claim has no claimant (a named identity: its name's first holder), -1 for none. */
  named: Map<number, number>;
  /** The conflict text of each row that has one. */
  conflicts: Map<number, string>;
  /** Each row's cell widths, packed (packWidths). */
  lo: Int32Array;
  hi: Int32Array;
}

/** Row `k`'s holder: its place in the list's details, or -1 (a name nobody holds). */
function holderPlace(list: AliasList, k: number): number {
  const claimant = list.claims.claimants[list.order[k]];
  return claimant >= 0 ? claimant : (list.named.get(k) ?? -1);
}

/** Row `k`'s holder's bead. */
function beadAt(list: AliasList, k: number): Bead | undefined {
  const p = holderPlace(list, k);
  return p >= 0 ? list.beads[p] : undefined;
}

/** How many cells a claim's row has (ALIASES_COLUMNS). */
const CLAIM_CELLS = 6;

/** A claim's cells. */
function claimCells(name: string, kind: ClaimKind, holder: string | null, bead: Bead | undefined, conflict: string): string[] {
  const cells = new Array<string>(CLAIM_CELLS);
  for (let c = 0; c < CLAIM_CELLS; c++) cells[c] = claimCell(c, name, kind, holder, bead, conflict);
  return cells;
}

/** A claim's cell of `column` alone (a sort reads one column of every row). */
function claimCell(column: number, name: string, kind: ClaimKind, holder: string | null, bead: Bead | undefined, conflict: string): string {
  switch (column) {
    case 0:
      return clean(name);
    case 1:
      return kind;
    case 2:
      return clean(holder ?? '— (reserved)');
    case 3:
      return clean(md(bead, 'state'));
    case 4:
      return clean(conflict);
    default:
      return kind === 'alias' || kind === 'wanted' ? clean(md(bead, 'alias_history')) : '';
  }
}

/** Row `k` of `list`'s cell of `column`, read from the list's columns (row-list.ts ListKeys.cellOf): no row made. */
function aliasCell(list: AliasList, k: number, column: number): string {
  const i = list.order[k];
  const p = holderPlace(list, k);
  return claimCell(
    column,
    list.claims.names[i],
    KINDS[list.claims.kinds[i]],
    p >= 0 ? list.infos[p].id : null,
    p >= 0 ? list.beads[p] : undefined,
    list.conflicts.get(k) ?? '',
  );
}

/**
 * Row `k` of an aliases list, made when read and dropped after: what it is made of read from the list's columns into
 * its own fields, so that a row kept longer (by a frame, a selection) holds its bead, not the whole list of its read.
 */
class AliasRow implements Row {
  readonly name: string;
  readonly kind: ClaimKind;
  readonly holder: string | null;
  readonly bead: Bead | undefined;
  readonly conflict: string;
  readonly widthsLo: number;
  readonly widthsHi: number;

  constructor(list: AliasList, k: number) {
    const i = list.order[k];
    const p = holderPlace(list, k);
    this.name = list.claims.names[i];
    this.kind = KINDS[list.claims.kinds[i]];
    this.holder = p >= 0 ? list.infos[p].id : null;
    this.bead = p >= 0 ? list.beads[p] : undefined;
    this.conflict = list.conflicts.get(k) ?? '';
    this.widthsLo = list.lo[k];
    this.widthsHi = list.hi[k];
  }

  get key(): string {
    return claimKey(this.name, this.kind, this.holder);
  }

  hasKey(key: string): boolean {
    return isClaimKey(key, this.name, this.kind, this.holder);
  }

  get cells(): string[] {
    return claimCells(this.name, this.kind, this.holder, this.bead, this.conflict);
  }

  get search(): string {
    return searchText(this.cells);
  }

  get ids(): string[] {
    const holder = this.holder;
    return holder ? [holder] : [];
  }

  get tone(): Tone | undefined {
    return this.kind === 'wanted' ? 'warn' : undefined;
  }

  get cellTones(): (Tone | undefined)[] | undefined {
    return this.kind !== 'wanted' && this.conflict ? CONFLICT_TONES : undefined;
  }
}

/** A claim's row's key: one flat string (a template literal keeps its pieces: four rope nodes per row). */
const claimKey = (name: string, kind: ClaimKind, holder: string | null): string => [name, kind, holder ?? ''].join('\u0000');

/**
 * Whether `key` is the key of the claim of `name` of that kind by `holder` (claimKey), its parts compared with the
 * claim's, the holder first: no string made, most rows of a scan told apart by one comparison.
 */
function isClaimKey(key: string, name: string, kind: ClaimKind, holder: string | null): boolean {
  const k = keyParts(key);
  // A name with the separator in it (metadata can hold any character): compared whole.
  if (k === null) return claimKey(name, kind, holder) === key;
  return (holder ?? '') === k.holder && kind === k.kind && name === k.name;
}

/**
 * Whether row `k` of `list` has the key `key`, read from the list's columns: a lookup by key (the cursor's row while a
 * filter is typed, a refresh that moved it) makes no row and no key (row-list.ts ListKeys).
 */
function aliasHasKey(list: AliasList, k: number, key: string): boolean {
  const i = list.order[k];
  const p = holderPlace(list, k);
  return isClaimKey(key, list.claims.names[i], KINDS[list.claims.kinds[i]], p >= 0 ? list.infos[p].id : null);
}

/** The last key asked of rows (hasKey: a scan asks every row the same) and its parts; null parts: no claim's key. */
let askedKey = '';
let askedParts: { name: string; kind: string; holder: string } | null = null;

/** A claim row's key as its name, kind and holder (`AliasRow.key`): null when it has not three parts (a name holding the separator). */
function keyParts(key: string): { name: string; kind: string; holder: string } | null {
  if (key !== askedKey) {
    const parts = key.split('\u0000');
    askedKey = key;
    askedParts = parts.length === 3 ? { name: parts[0], kind: parts[1], holder: parts[2] } : null;
  }
  return askedParts;
}

/**
 * The last aliases table's list and rows: a refresh through the plan worker hands back the very object of an unchanged
 * bead (chunked-clone.ts), and a row is made only of that bead, its claim and the conflict text, so the last table's
 * row of that bead and claim is this table's (its widths and its entry of the search index taken). Most often at the
 * same place (a refresh that changed some beads' states, not their names), or a few places off (names added or gone
 * before it); else found by its bead, in a Map of the last rows' places made only once that failed for many rows
 * (kept-places.ts NearPlaces). Not a WeakMap from every bead to its rows, which the first read paid for with nothing
 * to hand back (slots.ts). A Map of every bead's rows, made at every refresh, was about 22 MB of the console's heap
 * that outlived young collections a refresh at 100 000 beads (docs/speed.md).
 */
let last: { list: AliasList; rows: Row[] } | null = null;

/**
 * The rows of `list`, made when read. Made here, not in aliasesSteps: a closure holds its whole scope's context, and
 * there that held the last table (the rows' makers each held the one before, every read's list kept).
 */
function aliasRows(list: AliasList): Row[] {
  return rowList(list.order.length, (k) => new AliasRow(list, k), {
    hasKey: (k, key) => aliasHasKey(list, k, key),
    cellOf: (k, column) => aliasCell(list, k, column),
  });
}

/** Whether row `p` of `list` is the claim of `name` of that kind (its place in KINDS), by `bead`, with that conflict text. */
function isClaim(list: AliasList, p: number, bead: Bead, name: string, kind: number, conflict: string): boolean {
  const i = list.order[p];
  return (
    beadAt(list, p) === bead && list.claims.kinds[i] === kind && list.claims.names[i] === name && (list.conflicts.get(p) ?? '') === conflict
  );
}

export function aliasesTable(d: Derived): Table {
  return d.table('aliases', () => runAtOnce(aliasesSteps(d)));
}

/** The same table made a slice at a time, awaiting `pause` in between (before an operator first opens the view). */
export async function warmAliasesTable(d: Derived, pause: () => Promise<void>): Promise<void> {
  if (d.has('aliases')) return;
  const table = await runSliced(aliasesSteps(d), pause);
  d.table('aliases', () => table);
}

/** The last table's claims, their order, and the details whose places they name. */
let lastClaims: { infos: readonly BeadInfo[]; claims: Claims; order: Int32Array } | null = null;

/** Whether the details `a` and `b` have the same ids at every place. */
function* sameIds(a: readonly BeadInfo[], b: readonly BeadInfo[]): Generator<void, boolean> {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i] && a[i].id !== b[i].id) return false;
    if (sliceDue(i)) yield;
  }
  return true;
}

/**
 * The claims, as lists side by side: the name, the kind (its place in KINDS) and the claimant's place in d.infos (-1
 * for a named identity, whose holder is the name's first holder). An object per claim and a Map of each name's
 * holders (216 000 claims at 100 000 beads) were about 30 MB that outlived the table's making in slices, and the
 * console held them until its next full collection, at the height of its memory. The lists are made once, at the
 * number of claims (counted first), the numbers typed: grown by push, each list left every smaller copy of itself
 * behind in the old generation (about 16 MB at 100 000 beads), which stayed there through the console's highest
 * memory (the views' rows made); made at the most claims there can be (four a detail), the names' list was about
 * 1.5 MB more of that garbage.
 */
interface Claims {
  /** How many claims the lists hold. */
  count: number;
  names: string[];
  kinds: Uint8Array;
  claimants: Int32Array;
}

/** Empty lists for `n` claims. */
function claimLists(n: number): Claims {
  return { count: 0, names: new Array<string>(n), kinds: new Uint8Array(n), claimants: new Int32Array(n) };
}

/**
 * `claim` of each name the details' beads and the named sessions claim, in that order. Run twice (to count the
 * claims, then to list them), over 72 000 details at 100 000 beads: the details come in the beads' order (the plan's
 * session table is the open sessions in file order), so one cursor over the beads finds each detail's bead without
 * hashing its id for the beads' Map (a pass took 50 ms that way, 20–28 ms with the cursor). When some id is borne by
 * more than one bead, the Map's (the last of them) is the one read, as everywhere in the console; a detail the cursor
 * does not find ahead of it is looked up, and so are the ones after it.
 */
function* claimSteps(d: Derived, claim: (name: string, kind: number, claimant: number) => void): Generator<void, void> {
  const infos = d.infos;
  const beads = d.snap.state.beads;
  const byId = d.beadById;
  let j = byId.size === beads.length ? 0 : beads.length;
  for (let n = 0; n < infos.length; n++) {
    if (sliceDue(n)) yield;
    const id = infos[n].id;
    while (j < beads.length && beads[j].id !== id) j++;
    const m = (j < beads.length ? beads[j++] : byId.get(id))?.metadata;
    if (!m) continue;
    // Each key read by its name, not as HELD_KINDS[kind]: a key chosen at run time is looked up in V8's shared cache of
    // keys at each read (the two passes over 72 000 details at 100 000 beads took about a fifth longer so).
    const alias = m.alias;
    const sessionName = m.session_name;
    const agentName = m.agent_name;
    const wanted = m.pool_alias_conflict;
    if (typeof alias === 'string' && alias) claim(alias, ALIAS, n);
    if (typeof sessionName === 'string' && sessionName) claim(sessionName, SESSION_NAME, n);
    if (typeof agentName === 'string' && agentName) claim(agentName, AGENT_NAME, n);
    if (typeof wanted === 'string' && wanted) claim(wanted, WANTED, n);
  }
  for (const n of d.snap.state.city.named_sessions ?? []) {
    const identity = n.identity || n.template;
    if (identity) claim(identity, NAMED, -1);
  }
}

/**
 * The order of claims: the contract's byte order of names, then kind, then holder (the named identities' ties are
 * equal). Its look for astral characters is made in steps (216 000 names and as many holders at 100 000 beads: 20–40
 * ms in one go, a stall of the keys pressed while the table is made).
 */
function* claimOrderSteps(c: Claims, ids: (i: number) => string): Generator<void, (a: number, b: number) => number> {
  const { names, kinds, claimants } = c;
  let astral = false;
  for (let k = 0; k < c.count && !astral; k++) {
    if (sliceDue(k)) yield;
    const i = claimants[k];
    astral = SURROGATE.test(names[k]) || (i >= 0 && SURROGATE.test(ids(i)));
  }
  // Without astral characters, UTF-16 order is byte order, and JavaScript's own comparison is far cheaper.
  const cmp = astral ? compareBytes : (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const holder = (k: number) => (claimants[k] >= 0 ? ids(claimants[k]) : '');
  return (a, b) => cmp(names[a], names[b]) || RANK[kinds[a]] - RANK[kinds[b]] || cmp(holder(a), holder(b));
}

/** One name's claims (a run of the sorted order): its holders (the first, and how many) and who wants it, in d.infos order. */
interface NameClaims {
  first: number;
  holders: number;
  wanters: number[];
}

/** `into`, for the claims order[from, to) (one name's); its lists are reused from one name to the next. */
function nameClaims(c: Claims, order: Int32Array, from: number, to: number, into: NameClaims, seen: number[]): void {
  into.first = -1;
  into.wanters.length = 0;
  seen.length = 0;
  for (let k = from; k < to; k++) {
    const i = order[k];
    const kind = c.kinds[i];
    const who = c.claimants[i];
    if (kind === WANTED) into.wanters.push(who);
    else if (held(kind)) {
      if (into.first < 0 || who < into.first) into.first = who;
      if (!seen.includes(who)) seen.push(who);
    }
  }
  into.holders = seen.length;
  if (into.wanters.length > 1) into.wanters.sort((a, b) => a - b);
}

/** The table's making, in steps of a slice's time each (derive.ts). */
function* aliasesSteps(d: Derived): Generator<void, Table> {
  const infos = d.infos;
  const ids = (i: number) => infos[i].id;
  let count = 0;
  yield* claimSteps(d, () => count++);
  // The last table's claims and order when this one's are the same (the same names, kinds and claimants' ids: a
  // refresh that changed no name), else made: the claims' lists at 100 000 beads are about 3.5 MB that outlived young
  // collections, and their sort some 100 ms of the console's thread.
  const was = lastClaims;
  let c: Claims | null = null;
  if (was && was.claims.count === count && (yield* sameIds(was.infos, infos))) {
    const { names, kinds, claimants } = was.claims;
    let k = 0;
    let same = true;
    yield* claimSteps(d, (name, kind, claimant) => {
      if (same && (names[k] !== name || kinds[k] !== kind || claimants[k] !== claimant)) same = false;
      k++;
    });
    if (same) c = was.claims;
  }
  let order: Int32Array;
  if (c) order = was!.order;
  else {
    const made = (c = claimLists(count));
    yield* claimSteps(d, (name, kind, claimant) => {
      const k = made.count++;
      made.names[k] = name;
      made.kinds[k] = kind;
      made.claimants[k] = claimant;
    });
    yield;
    order = new Int32Array(c.count);
    for (let k = 0; k < order.length; k++) order[k] = k;
    yield* sortInSteps(order, yield* claimOrderSteps(c, ids));
  }
  lastClaims = { infos, claims: c, order };
  const prev = last;
  // With the last table's index, this one's is that one with the new rows' entries put in (patchedIndexSteps): the
  // places the rows had there, and the texts of the new ones (made as each row is measured). Without, each row's text
  // goes into an index made as the rows are.
  const patch = prev !== null && hasIndex(prev.rows);
  const placeOf = patch ? new Int32Array(order.length) : null;
  const newTexts = new Map<number, string>();
  const index = patch ? null : new IndexMaker(order.length);
  const kept = prev
    ? new NearPlaces(
        prev.rows.length,
        (p) => beadAt(prev.list, p),
        (b) => b.id,
      )
    : null;
  const list: AliasList = {
    claims: c,
    order,
    infos,
    beads: new Array<Bead | undefined>(infos.length),
    named: new Map(),
    conflicts: new Map(),
    lo: new Int32Array(order.length),
    hi: new Int32Array(order.length),
  };
  const content = new PackedContent(ALIASES_COLUMNS);
  const run: NameClaims = { first: -1, holders: 0, wanters: [] };
  const seen: number[] = [];
  let runEnd = 0;
  for (let k = 0; k < order.length; k++) {
    if (sliceDue(k)) yield;
    const i = order[k];
    const name = c.names[i];
    if (k === runEnd) {
      runEnd = k + 1;
      while (runEnd < order.length && c.names[order[runEnd]] === name) runEnd++;
      nameClaims(c, order, k, runEnd, run, seen);
    }
    const kind = c.kinds[i];
    const claimant = c.claimants[i];
    const place = claimant >= 0 ? claimant : run.first;
    if (claimant < 0) list.named.set(k, place);
    const holder = place >= 0 ? ids(place) : null;
    const bead = place >= 0 ? (list.beads[place] ??= d.beadById.get(ids(place))) : undefined;
    let conflict: string;
    if (kind === WANTED) {
      // The engine words the holder ("held by X as alias"); without a live conflict, say who claims it now.
      const phrase = (holder === null ? undefined : beadDetailOf(d.snap.plan, holder))?.aliasConflictHolder;
      const now = run.first >= 0 ? ids(run.first) : undefined;
      conflict = `${conflictText(d, bead)}; ${phrase ?? (now ? `claimed by ${now}` : 'now free')}`;
    } else if (run.holders < 2 && run.wanters.length === 0)
      conflict = ''; // one holder, nobody else wants it: most names
    else {
      const parts: string[] = [];
      if (run.holders >= 2) parts.push(`claimed by ${run.holders} beads`);
      for (const w of run.wanters) parts.push(`wanted by ${ids(w)} ${conflictText(d, d.beadById.get(ids(w)))}`);
      conflict = parts.join('; ');
    }
    if (conflict) list.conflicts.set(k, conflict);
    // The last table's row of this claim: at or near this place, or (once the order moved more) found by its bead.
    if (kept?.wantsPlaces) yield* kept.placesSteps();
    const at = bead && kept ? kept.place(k, bead, (p) => isClaim(prev!.list, p, bead, name, kind, conflict)) : -1;
    if (at >= 0) {
      list.lo[k] = prev!.list.lo[at];
      list.hi[k] = prev!.list.hi[at];
    }
    // A new row's cells (its widths and its text); a row taken from the last table only for an index made anew.
    if (at < 0 || index) {
      const cells = claimCells(name, KINDS[kind], holder, bead, conflict);
      if (at < 0) {
        const widths = packWidths(cells)!;
        list.lo[k] = widths[0];
        list.hi[k] = widths[1];
      }
      if (index) index.add(searchText(cells));
      else newTexts.set(k, searchText(cells));
    }
    content.add(list.lo[k], list.hi[k]);
    if (placeOf) placeOf[k] = at;
  }
  const rows = aliasRows(list);
  if (index) index.done(rows);
  else
    yield* patchedIndexSteps(
      prev!.rows,
      rows,
      (k) => placeOf![k],
      (k) => newTexts.get(k)!,
    );
  content.done(rows);
  last = { list, rows };
  return { columns: ALIASES_COLUMNS, rows };
}

const ALIASES_COLUMNS = [
  { title: 'NAME', flex: 3, min: 10, cut: 'middle' },
  { title: 'KIND', width: 15 },
  { title: 'HOLDER', ...ID_COLUMN },
  { title: 'STATE', width: 10, drop: 2 },
  { title: 'CONFLICT', flex: 3, min: 8 },
  { title: 'HISTORY', flex: 2, min: 8, drop: 1 },
] satisfies Column[];

export function aliasDetail(d: Derived, key: string): string[] {
  const [name, kind, holder] = key.split('\u0000');
  const lines = [`${clean(name)}  (${kind})  held by ${clean(holder || 'nobody')}`];
  const bead = holder ? d.beadById.get(holder) : undefined;
  const history = md(bead, 'alias_history');
  if (history) lines.push(`alias history of ${clean(holder)} (newest first): ${clean(history.split(',').join(' ← '))}`);
  const wanted = md(bead, 'pool_alias_conflict');
  if (wanted) lines.push(`${clean(holder)} wanted ${clean(wanted)}: conflict ${conflictText(d, bead)}`);
  const info = holder ? beadDetailOf(d.snap.plan, holder) : undefined;
  if (info?.identity && info.identity !== name) lines.push(`identity of its slot: ${clean(info.identity)}`);
  return lines;
}
