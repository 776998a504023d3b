// `--demo`: a simulated Gas City controller that keeps changing a temporary store, so a newcomer
// sees drift appear (and the console follow it) within seconds. Each step is one locked, atomic
// write, exactly as a real writer would do it; the console learns of it through its file watch.
// The demo settles: new drift is injected only while the open repairs are fewer than `maxRepairs` above the
// fewest the queue has had (an injection that would go past that cap is undone and the step settles instead), so
// a newcomer sees drift appear at once, and one who approves the queue sees it reach zero and stay low; after
// the queue shrinks it injects nothing for a while (DEMO_QUIET_STEPS), so an operator working one repair at a
// time catches up with it.
import { plan } from '../engine/index.js';
import type { Bead } from '../engine/types.js';
import type { StoreDocument } from '../store/types.js';
import { readStoreDb, stateFromStoreDocument } from '../store/formats/load-store.js';
import { withFileLock } from '../store/fs/lock.js';
import { lockPathOf } from '../store/fs/paths.js';

export type DemoStepKind = 'new-create' | 'stale-create' | 'foreign-alias' | 'duplicate-slot' | 'cross-template-work' | 'settle';

/**
 * The first cycle of the simulation; every kind of drift shows up within one cycle. Later cycles keep its
 * shape, with the drift kinds in the non-settle places in a seeded order, so the injections vary.
 */
export const DEMO_STEPS: readonly DemoStepKind[] = [
  'new-create',
  'foreign-alias',
  'settle',
  'duplicate-slot',
  'cross-template-work',
  'stale-create',
  'settle',
];

export interface DemoSimOptions {
  file: string;
  intervalMs?: number;
  /** Clock for the stamps it writes (tests pin it). */
  now?: () => Date;
  /** Seed of the id generator, so runs are reproducible. */
  seed?: number;
  /** Keep at most this many open session beads the simulation created (it closes the oldest). */
  maxCreated?: number;
  /**
   * Inject new drift only while the open repairs are fewer than this above the fewest the queue has had (default
   * DEMO_MAX_REPAIRS), and never past that: a step that would go over settles instead. `Infinity` turns it off.
   */
  maxRepairs?: number;
  /** Steps without new drift after the queue shrank (an operator approved): default DEMO_QUIET_STEPS. */
  quietSteps?: number;
  onStep?: (kind: DemoStepKind, summary: string) => void;
  onError?: (e: unknown) => void;
}

/** How many open repairs the demo's own drift adds at most, above the fewest the queue has had. */
export const DEMO_MAX_REPAIRS = 6;
/** How many steps (2 s each) the demo injects nothing after the queue shrank: 30 s to work it down to zero. */
export const DEMO_QUIET_STEPS = 15;

export interface DemoSim {
  /** Run the next step now; resolves with what it did. */
  step(): Promise<string>;
  start(): void;
  stop(): Promise<void>;
}

interface Pool {
  qualified: string;
  max: number;
  namepool: string[];
}

const stamp = (d: Date) => d.toISOString().slice(0, 19) + 'Z';

function pools(doc: StoreDocument): Pool[] {
  return doc.city.agents
    .filter((a) => (a.max_active_sessions ?? 0) > 1 || (a.namepool?.length ?? 0) > 1)
    .map((a) => ({
      qualified: a.dir ? `${a.dir}/${a.name}` : a.name,
      max: a.max_active_sessions ?? a.namepool?.length ?? 4,
      namepool: a.namepool ?? [],
    }));
}

const md = (b: Bead, k: string) => b.metadata?.[k] ?? '';
const isOpenSession = (b: Bead) => b.issue_type === 'session' && b.status !== 'closed';

function identity(p: Pool, slot: number): string {
  const name = p.namepool[slot - 1];
  if (!name) return `${p.qualified}-${slot}`;
  const dir = p.qualified.includes('/') ? p.qualified.slice(0, p.qualified.lastIndexOf('/') + 1) : '';
  return dir + name;
}

export function createDemoSim(opts: DemoSimOptions): DemoSim {
  const now = opts.now ?? (() => new Date());
  const intervalMs = opts.intervalMs ?? 2000;
  const maxCreated = opts.maxCreated ?? 24;
  const maxRepairs = opts.maxRepairs ?? DEMO_MAX_REPAIRS;
  const quietSteps = opts.quietSteps ?? DEMO_QUIET_STEPS;
  let seed = opts.seed ?? 0x9e3779b9;
  let turn = 0;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> = Promise.resolve();

  // xorshift: deterministic for a seed, good enough to pick beads and spell ids.
  const rand = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 0x100000000;
  };
  const pick = <T>(xs: readonly T[]): T | undefined => (xs.length ? xs[Math.floor(rand() * xs.length)] : undefined);
  const newId = (doc: StoreDocument) => {
    for (;;) {
      const id = `dm-${Math.floor(rand() * 36 ** 5)
        .toString(36)
        .padStart(5, '0')}`;
      if (!doc.beads.some((b) => b.id === id)) return id;
    }
  };

  const session = (doc: StoreDocument, p: Pool, slot: number, at: Date, extra: Record<string, string>): Bead => {
    const id = newId(doc);
    doc.seq = (typeof doc.seq === 'number' ? doc.seq : 0) + 1;
    const ident = identity(p, slot);
    return {
      id,
      title: '',
      status: 'open',
      issue_type: 'session',
      priority: 2,
      labels: ['gc:session', `agent:${ident}`, 'gc-tui:demo'],
      metadata: {
        template: p.qualified,
        agent_name: ident,
        alias: ident,
        pool_slot: String(slot),
        pool_managed: 'true',
        session_origin: 'ephemeral',
        session_name: `s-${id}`,
        ...extra,
      },
      created_at: stamp(at),
      updated_at: stamp(at),
    };
  };

  const freeSlot = (doc: StoreDocument, p: Pool): number => {
    const used = new Set(
      doc.beads.filter((b) => isOpenSession(b) && md(b, 'template') === p.qualified).map((b) => Number(md(b, 'pool_slot'))),
    );
    for (let s = 1; s <= p.max; s++) if (!used.has(s)) return s;
    return 0;
  };

  function mutate(doc: StoreDocument, kind: DemoStepKind, at: Date): string {
    const ps = pools(doc);
    const open = doc.beads.filter(isOpenSession);
    const poolBeads = open.filter((b) => md(b, 'pool_managed') === 'true' && ps.some((p) => p.qualified === md(b, 'template')));
    switch (kind) {
      case 'new-create':
      case 'stale-create': {
        const p = pick(ps.filter((x) => freeSlot(doc, x) > 0));
        if (!p) return 'no free slot for a create';
        const slot = freeSlot(doc, p);
        const started = kind === 'stale-create' ? new Date(at.getTime() - 15 * 60_000) : at;
        const b = session(doc, p, slot, at, { state: 'creating', pending_create_claim: 'true', pending_create_started_at: stamp(started) });
        doc.beads.push(b);
        return `${kind === 'stale-create' ? 'stale create' : 'create'} ${b.id} in slot ${slot} of ${p.qualified}`;
      }
      case 'foreign-alias': {
        const b = pick(poolBeads.filter((x) => md(x, 'alias') !== ''));
        const other = pick(ps.filter((p) => p.qualified !== md(b ?? { id: '' }, 'template')));
        if (!b || !other) return 'no bead to retag';
        const alias = identity(other, 1 + Math.floor(rand() * Math.max(1, other.max)));
        b.metadata = { ...b.metadata, alias };
        b.updated_at = stamp(at);
        return `foreign alias ${alias} on ${b.id}`;
      }
      case 'duplicate-slot': {
        const b = pick(poolBeads.filter((x) => Number(md(x, 'pool_slot')) > 0));
        const p = b && ps.find((x) => x.qualified === md(b, 'template'));
        if (!b || !p) return 'no slot to duplicate';
        const slot = Number(md(b, 'pool_slot'));
        const dup = session(doc, p, slot, at, { state: 'asleep', alias: '' });
        doc.beads.push(dup);
        return `duplicate ${dup.id} of slot ${slot} of ${p.qualified}`;
      }
      case 'cross-template-work': {
        const s = pick(poolBeads);
        const route = pick(ps.filter((p) => p.qualified !== md(s ?? { id: '' }, 'template')));
        if (!s || !route) return 'no session to assign work to';
        const id = newId(doc);
        doc.seq = (typeof doc.seq === 'number' ? doc.seq : 0) + 1;
        doc.beads.push({
          id,
          title: `demo task routed to ${route.qualified}`,
          status: 'in_progress',
          issue_type: 'task',
          priority: 1,
          assignee: md(s, 'session_name') || s.id,
          labels: ['gc-tui:demo'],
          metadata: { 'gc.routed_to': route.qualified },
          created_at: stamp(at),
          updated_at: stamp(at),
        });
        return `work ${id} routed to ${route.qualified} but assigned to ${s.id} (${md(s, 'template')})`;
      }
      case 'settle': {
        // A controller also makes progress: a create comes up, and old demo beads are closed so the city stays small.
        const creating = open.find(
          (b) => md(b, 'state') === 'creating' && md(b, 'pending_create_started_at') >= stamp(new Date(at.getTime() - 5 * 60_000)),
        );
        const notes: string[] = [];
        if (creating) {
          const { pending_create_claim: _c, pending_create_started_at: _s, ...rest } = creating.metadata ?? {};
          creating.metadata = { ...rest, state: 'active' };
          creating.updated_at = stamp(at);
          notes.push(`${creating.id} is active`);
        }
        const mine = open.filter((b) => b.labels?.includes('gc-tui:demo') && b.status !== 'closed');
        for (const b of mine.slice(0, Math.max(0, mine.length - maxCreated))) {
          b.status = 'closed';
          b.metadata = { ...b.metadata, state: 'closed', close_reason: 'demo' };
          b.updated_at = stamp(at);
          notes.push(`closed ${b.id}`);
        }
        return notes.length ? notes.join(', ') : 'quiet tick';
      }
    }
  }

  // This cycle's order: DEMO_STEPS with its drift kinds shuffled (seeded) among the drift places.
  let cycle: DemoStepKind[] = [];
  const nextKind = (): DemoStepKind => {
    const at = turn % DEMO_STEPS.length;
    if (turn++ === 0) cycle = [...DEMO_STEPS];
    else if (at === 0) {
      const drift = DEMO_STEPS.filter((k) => k !== 'settle');
      for (let i = drift.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [drift[i], drift[j]] = [drift[j], drift[i]];
      }
      cycle = DEMO_STEPS.map((k) => (k === 'settle' ? k : (drift.shift() as DemoStepKind)));
    }
    return cycle[at];
  };
  const openRepairs = (doc: StoreDocument, at: Date) => plan(stateFromStoreDocument(doc), at).repairs.length;

  // The queue as the last step left it: when it is smaller now, an operator worked it, and the demo holds
  // still for `quietSteps` steps so they see it reach zero.
  let lastOpen = -1;
  let quietUntil = 0;
  // The fewest open repairs seen: the demo's own drift takes the queue at most `maxRepairs` above it. So drift
  // appears live from the start (the shipped queue is longer than the cap), the queue settles a few above where it
  // started, and once an operator worked it down to zero it stays at or below the cap.
  let fewest = Infinity;

  const step = async (): Promise<{ kind: DemoStepKind; summary: string }> => {
    const planned = nextKind();
    const index = turn;
    return withFileLock(lockPathOf({ kind: 'store', path: opts.file }), async () => {
      const { db, doc } = await readStoreDb(opts.file);
      const at = now();
      let kind = planned;
      let text: string;
      if (maxRepairs === Infinity) text = mutate(doc, kind, at);
      else {
        const open = openRepairs(doc, at);
        if (lastOpen >= 0 && open < lastOpen) quietUntil = index + quietSteps;
        const quiet = index <= quietUntil;
        fewest = Math.min(fewest, open);
        const cap = fewest + maxRepairs;
        const beads = structuredClone(doc.beads);
        const seq = doc.seq;
        text = kind === 'settle' ? mutate(doc, kind, at) : open < cap && !quiet ? mutate(doc, kind, at) : '';
        const after = text ? openRepairs(doc, at) : open;
        if (!text || after > cap) {
          // Over the cap, or an operator is at work: undo the injection, and let the controller make progress.
          doc.beads = beads;
          if (seq === undefined) delete doc.seq;
          else doc.seq = seq;
          kind = 'settle';
          const why = quiet ? `quiet after an approval (${open} open)` : `holding at ${open} open repairs (cap ${cap})`;
          text = `${why}: ${mutate(doc, 'settle', at)}`;
        }
        lastOpen = openRepairs(doc, at);
      }
      await db.write();
      return { kind, summary: text };
    });
  };

  const runStep = async (): Promise<string> => {
    const { kind, summary } = await step();
    opts.onStep?.(kind, summary);
    return summary;
  };

  return {
    step: runStep,
    start() {
      if (timer) return;
      timer = setInterval(() => {
        running = running.then(runStep).catch((e: unknown) => opts.onError?.(e));
      }, intervalMs);
      timer.unref?.();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}
