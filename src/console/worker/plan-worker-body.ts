// The plan worker's work (plan-worker.ts is its entry): it reads, plans and writes for the console (see
// worker-client.ts), so the console's own thread only handles keys and draws. Requests run one at a time,
// in order, with the store's own functions (jobs.ts). Writes arrive with their flock already held by the
// console's thread; this thread never loads fs-ext (see lock.ts).
import { parentPort } from 'node:worker_threads';
import type { State } from '../../engine/types.js';
import { pack, unpackSync } from './chunked-clone.js';
import { applyAndPlan, decideAndPlan, inProcessJobs } from '../jobs.js';
import type { StateRef, WorkerReply, WorkerRequest } from './worker-protocol.js';

/** States this worker produced, by id, so a re-plan need not send 100 000 beads back. The newest few. */
const KEEP = 4;
const states = new Map<number, State>();
let nextStateId = 1;

function keep(state: State): number {
  const id = nextStateId++;
  states.set(id, state);
  while (states.size > KEEP) states.delete(states.keys().next().value!);
  return id;
}

class Missing extends Error {}

function resolveState(ref: StateRef): State {
  if ('packed' in ref) return unpackSync<State>(ref.packed);
  const s = states.get(ref.ref);
  if (!s) throw new Missing();
  return s;
}

const jobs = inProcessJobs();

function post(reply: WorkerReply, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(reply, transfer);
}

async function run(req: WorkerRequest): Promise<void> {
  const progress = (stage: 'reading' | 'planning' | 'receiving') => post({ id: req.id, progress: stage });
  switch (req.op) {
    case 'load': {
      // The console's clock when it asked (its clock may be fixed: tests); in-process it is read after the
      // read, a few hundred milliseconds later at most, which no rule of the engine can tell apart.
      const r = await jobs.load(req.source, () => new Date(req.now), { progress, rules: req.rules });
      const stateId = keep(r.loaded.state);
      const { packed, transfer } = pack(r);
      return post({ id: req.id, ok: true, packed, stateId }, transfer);
    }
    case 'plan': {
      const p = await jobs.plan(resolveState(req.state), new Date(req.now), { progress, edition: req.edition });
      const { packed, transfer } = pack(p);
      return post({ id: req.id, ok: true, packed }, transfer);
    }
    case 'apply': {
      // The console's thread holds the lock (flock belongs to the open file) until we say 'planning': the write
      // and its audit lines are done then, and the plan of what was written needs no lock.
      const r = await applyAndPlan(req.source, req.repairs, { ...req.opts, now: new Date(req.opts.now) }, () => progress('planning'));
      const stateId = keep(r.result.state);
      const { packed, transfer } = pack(r);
      return post({ id: req.id, ok: true, packed, stateId }, transfer);
    }
    case 'decide': {
      // Resolve the base first: a missing one must not record the decision twice (the retry would).
      const base = req.base ? resolveState(req.base) : null;
      // As for apply: the lock is released when we say 'planning' (the decision is on disk then).
      const r = await decideAndPlan(req.source, req.decision, base, new Date(req.now), () => progress('planning'), req.edition);
      const stateId = r.state ? keep(r.state) : undefined;
      // The console builds the same state itself (its base + these decisions): only the plan travels.
      const { packed, transfer } = pack({ decisions: r.decisions, plan: r.plan });
      return post({ id: req.id, ok: true, packed, stateId }, transfer);
    }
  }
}

let chain = Promise.resolve();
parentPort!.on('message', (req: WorkerRequest) => {
  chain = chain.then(() =>
    run(req).catch((e: unknown) => {
      if (e instanceof Missing) return post({ id: req.id, ok: false, missing: true });
      const err = e instanceof Error ? e : new Error(String(e));
      const code = (err as { code?: unknown }).code;
      post({ id: req.id, ok: false, error: { name: err.name, message: err.message, ...(typeof code === 'string' ? { code } : {}) } });
    }),
  );
});
