// Aliases view: every name an open session bead claims (alias, session_name, agent_name, a named
// session's reserved identity), who holds it, and the conflicts recorded against it.
import { compareBytes, parseInstant } from '../../engine/index.js';
import type { Bead } from '../../engine/types.js';
import { clean, formatAge } from '../text.js';
import { runAtOnce, runSliced, sliceDue, sortInSteps, type Derived } from './derive.js';
import type { Tone } from '../theme.js';
import { LazyRow } from './lazy-row.js';
import { ID_COLUMN, type Row, type Table } from './types.js';

type ClaimKind = 'alias' | 'session_name' | 'agent_name' | 'named identity' | 'wanted';
const KIND_ORDER: Record<ClaimKind, number> = {
  alias: 0,
  'named identity': 1,
  agent_name: 2,
  session_name: 3,
  wanted: 4,
};

interface Claim {
  name: string;
  kind: ClaimKind;
  holder: string | null;
}

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

/** The metadata keys whose value is a name the bead holds. */
const HELD_KINDS = ['alias', 'session_name', 'agent_name'] as const;

/** The first bead to claim a name (see `holders` in aliasesSteps). */
const firstHolder = (h: string | string[] | undefined): string | undefined => (typeof h === 'object' ? h[0] : h);

/** The order of claims: the contract's byte order of names, then kind, then holder. */
function claimOrder(claims: Claim[]): (a: Claim, b: Claim) => number {
  const astral = claims.some((c) => SURROGATE.test(c.name) || SURROGATE.test(c.holder ?? ''));
  // Without astral characters, UTF-16 order is byte order, and JavaScript's own comparison is far cheaper.
  const cmp = astral ? compareBytes : (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return (a, b) => cmp(a.name, b.name) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || cmp(a.holder ?? '', b.holder ?? '');
}

/** The CONFLICT cell of a contested name stands out. */
const CONFLICT_TONES: (Tone | undefined)[] = [undefined, undefined, undefined, undefined, 'error'];

const KINDS: readonly ClaimKind[] = ['alias', 'session_name', 'agent_name', 'named identity', 'wanted'];
const KIND_OF = new Map(KINDS.map((k, i) => [k, i]));

/** The few claims with a conflict text: not a field of every row. */
const conflicts = new WeakMap<ClaimRow, string>();

/** `bits`: the kind (3 bits), whether the row has a conflict text, then the widths of cells 5 and 6 (packWidths' hi). */
const CONFLICT = 8;
const HI_SHIFT = 4;
/** `lo` of a row whose widths are not packed. */
const NO_WIDTHS = -1;

/**
 * A claim's row: the claim and its holder's bead (or, for a holder without one, its id), with the search text and
 * the widths of its cells made once; its cells, key and tones are made when read (types.ts). Five fields, for 216 000
 * rows at 100 000 beads (eight took 19 MB): the holder is its bead's id, the kind and widths are numbers in one, and
 * the conflict text (a few rows have one) is kept beside the row.
 */
class ClaimRow extends LazyRow {
  private readonly of: Bead | string | null;
  private bits: number;
  private lo = NO_WIDTHS;
  search = '';

  constructor(
    readonly name: string,
    kind: ClaimKind,
    holder: string | null,
    bead: Bead | undefined,
    conflict: string,
  ) {
    super();
    // The bead is the one of the holder's id (beadById), so its id is the holder.
    this.of = bead ?? holder;
    this.bits = KIND_OF.get(kind)!;
    if (conflict) {
      conflicts.set(this, conflict);
      this.bits |= CONFLICT;
    }
    this.measure();
  }

  get kind(): ClaimKind {
    return KINDS[this.bits & 7];
  }

  get holder(): string | null {
    const of = this.of;
    return typeof of === 'object' && of !== null ? of.id : of;
  }

  get bead(): Bead | undefined {
    const of = this.of;
    return typeof of === 'object' && of !== null ? of : undefined;
  }

  get conflict(): string {
    return this.bits & CONFLICT ? (conflicts.get(this) ?? '') : '';
  }

  get widthsLo(): number | undefined {
    return this.lo === NO_WIDTHS ? undefined : this.lo;
  }

  get widthsHi(): number | undefined {
    return this.lo === NO_WIDTHS ? undefined : this.bits >>> HI_SHIFT;
  }

  protected keep(search: string, widths: [number, number] | null): void {
    this.search = search;
    if (widths) {
      this.lo = widths[0];
      this.bits |= widths[1] << HI_SHIFT;
    }
  }

  /** One flat string (a template literal keeps its pieces: four rope nodes per row). */
  get key(): string {
    return [this.name, this.kind, this.holder ?? ''].join('\u0000');
  }

  get cells(): string[] {
    const { kind, bead } = this;
    return [
      clean(this.name),
      kind,
      clean(this.holder ?? '— (reserved)'),
      clean(md(bead, 'state')),
      clean(this.conflict),
      kind === 'alias' || kind === 'wanted' ? clean(md(bead, 'alias_history')) : '',
    ];
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

/**
 * Rows by the bead that holds the claim: a refresh through the plan worker hands back the very object of an
 * unchanged bead (chunked-clone.ts), and a row is made only of that bead, its claim and the conflict text.
 */
const rowCache = new WeakMap<Bead, Partial<Record<ClaimKind, ClaimRow>>>();

function claimRow(c: Claim, bead: Bead | undefined, conflict: string): Row {
  const kept = bead ? rowCache.get(bead) : undefined;
  const known = kept?.[c.kind];
  if (known && known.name === c.name && known.conflict === conflict) return known;
  const row = new ClaimRow(c.name, c.kind, c.holder, bead, conflict);
  if (bead) {
    if (kept) kept[c.kind] = row;
    else rowCache.set(bead, { [c.kind]: row });
  }
  return row;
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

/** The table's making, in steps of a slice's time each (derive.ts). */
function* aliasesSteps(d: Derived): Generator<void, Table> {
  const claims: Claim[] = [];
  // Who claims each name, in order of first claim: one holder as a string (nearly every name), more as a list.
  const holders = new Map<string, string | string[]>();
  const wantedBy = new Map<string, string[]>();
  const note = (name: string, holder: string) => {
    const h = holders.get(name);
    if (h === undefined) holders.set(name, holder);
    else if (typeof h === 'string') {
      if (h !== holder) holders.set(name, [h, holder]);
    } else if (!h.includes(holder)) h.push(holder);
  };
  let n = 0;
  for (const info of d.infos) {
    if (sliceDue(n++)) yield;
    const b = d.beadById.get(info.id);
    for (const kind of HELD_KINDS) {
      const name = md(b, kind);
      if (!name) continue;
      claims.push({ name, kind, holder: info.id });
      note(name, info.id);
    }
    const wanted = md(b, 'pool_alias_conflict');
    if (wanted) {
      claims.push({ name: wanted, kind: 'wanted', holder: info.id });
      const list = wantedBy.get(wanted);
      if (list) list.push(info.id);
      else wantedBy.set(wanted, [info.id]);
    }
  }
  for (const n of d.snap.state.city.named_sessions ?? []) {
    const identity = n.identity || n.template;
    if (!identity) continue;
    const held = firstHolder(holders.get(identity));
    claims.push({ name: identity, kind: 'named identity', holder: held ?? null });
  }
  yield;
  yield* sortInSteps(claims, claimOrder(claims));
  const rows: Row[] = [];
  for (const c of claims) {
    if (sliceDue(rows.length)) yield;
    const bead = c.holder ? d.beadById.get(c.holder) : undefined;
    let conflict: string;
    if (c.kind === 'wanted') {
      // The engine words the holder ("held by X as alias"); without a live conflict, say who claims it now.
      const phrase = d.snap.plan.detail.beads[c.holder ?? '']?.aliasConflictHolder;
      const now = firstHolder(holders.get(c.name));
      conflict = `${conflictText(d, bead)}; ${phrase ?? (now ? `claimed by ${now}` : 'now free')}`;
    } else {
      const h = holders.get(c.name);
      const wanters = wantedBy.get(c.name);
      if (typeof h !== 'object' && !wanters)
        conflict = ''; // one holder, nobody else wants it: most names
      else {
        const parts: string[] = [];
        if (typeof h === 'object') parts.push(`claimed by ${h.length} beads`);
        for (const w of wanters ?? []) parts.push(`wanted by ${w} ${conflictText(d, d.beadById.get(w))}`);
        conflict = parts.join('; ');
      }
    }
    rows.push(claimRow(c, bead, conflict));
  }
  return {
    columns: [
      { title: 'NAME', flex: 3, min: 10, cut: 'middle' },
      { title: 'KIND', width: 15 },
      { title: 'HOLDER', ...ID_COLUMN },
      { title: 'STATE', width: 10, drop: 2 },
      { title: 'CONFLICT', flex: 3, min: 8 },
      { title: 'HISTORY', flex: 2, min: 8, drop: 1 },
    ],
    rows,
  };
}

export function aliasDetail(d: Derived, key: string): string[] {
  const [name, kind, holder] = key.split('\u0000');
  const lines = [`${clean(name)}  (${kind})  held by ${clean(holder || 'nobody')}`];
  const bead = holder ? d.beadById.get(holder) : undefined;
  const history = md(bead, 'alias_history');
  if (history) lines.push(`alias history of ${clean(holder)} (newest first): ${clean(history.split(',').join(' ← '))}`);
  const wanted = md(bead, 'pool_alias_conflict');
  if (wanted) lines.push(`${clean(holder)} wanted ${clean(wanted)}: conflict ${conflictText(d, bead)}`);
  const info = holder ? d.snap.plan.detail.beads[holder] : undefined;
  if (info?.identity && info.identity !== name) lines.push(`identity of its slot: ${clean(info.identity)}`);
  return lines;
}
