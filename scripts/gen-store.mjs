#!/usr/bin/env node
/* global process, console */
// Generate a large gc-tui store (default 100 000 beads) into a temporary path, for the bench and
// for trying the console on volume. Never commit its output.
//   node scripts/gen-store.mjs [--beads N] [--out FILE] [--seed S] [--order id|shuffled|created]
// --order: `id` (the default) writes the beads in id order. Gas City does not keep its stores so: a bd list comes
// in an order of its own over ids that are hashes (`shuffled`: the same beads, in an order fixed by the seed), and
// its file store mints `gc-<n>` in creation order, which is not id order past `gc-9` (`created`).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ORDERS = ['id', 'shuffled', 'created'];

/** A xorshift generator of numbers in [0, 1) from `seed`. */
function xorshift(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

export function generateStore({ beads = 100_000, seed = 1, order = 'id' } = {}) {
  if (!ORDERS.includes(order)) throw new Error(`--order ${order}: one of ${ORDERS.join(', ')}`);
  const rand = xorshift(seed);
  // `created` numbers every bead as Gas City's file store does, sessions and work alike.
  const idOf = (prefix, i) => (order === 'created' ? `gc-${i + 1}` : `${prefix}-${i.toString(36).padStart(6, '0')}`);
  const agents = [
    { name: 'worker', dir: 'frontend', max_active_sessions: null },
    { name: 'worker', dir: 'backend', max_active_sessions: null },
    { name: 'builder', dir: 'backend', max_active_sessions: 40000 },
    { name: 'polecat', dir: 'ops', max_active_sessions: 20, namepool: ['furiosa', 'nux', 'slit', 'rictus'] },
    { name: 'mayor', max_active_sessions: 1 },
  ];
  const pools = agents.filter((a) => a.name !== 'mayor').map((a) => ({ q: a.dir ? `${a.dir}/${a.name}` : a.name, a }));
  const out = [];
  const nextSlot = new Map(pools.map((p) => [p.q, 1]));
  const sessions = Math.floor(beads * 0.8);
  const stamp = (min) => new Date(Date.UTC(2026, 4, 6, 2, 0, 0) - min * 60_000).toISOString().slice(0, 19) + 'Z';
  for (let i = 0; i < sessions; i++) {
    // The small namepool pool gets a handful of beads; volume goes to the big pools.
    const p = i < 6 ? pools[3] : pools[Math.floor(rand() * 3)];
    const cap = p.a.namepool ? p.a.namepool.length : (p.a.max_active_sessions ?? Infinity);
    let slot = nextSlot.get(p.q);
    nextSlot.set(p.q, slot + 1);
    const r = rand();
    if (r < 0.01 && slot > 1) slot -= 1; // a duplicate of the previous slot
    if (slot > cap) slot = 1 + Math.floor(rand() * cap);
    const ident = p.a.namepool && slot <= p.a.namepool.length ? `${p.a.dir}/${p.a.namepool[slot - 1]}` : `${p.q}-${slot}`;
    const id = idOf('gx', i);
    const md = {
      template: p.q,
      agent_name: ident,
      alias: ident,
      pool_slot: String(slot),
      pool_managed: 'true',
      session_origin: 'ephemeral',
      session_name: `s-${id}`,
      state: ['asleep', 'active', 'awake', 'suspended', 'drained'][Math.floor(rand() * 5)],
    };
    if (r > 0.99)
      md.alias = `${pools[(pools.indexOf(p) + 1) % pools.length].q}-${slot}`; // foreign alias
    else if (r > 0.98)
      md.pool_slot = String(slot + 1); // stale stamp
    else if (r > 0.975)
      Object.assign(md, { state: 'creating', pending_create_claim: 'true', pending_create_started_at: stamp(5 + Math.floor(rand() * 60)) });
    else if (r > 0.97) md.alias = `evil\u001b[2J-${i}`; // hostile strings belong in every volume test
    out.push({
      id,
      title: '',
      status: rand() < 0.1 ? 'closed' : 'open',
      issue_type: 'session',
      priority: 2,
      labels: ['gc:session', `agent:${ident}`],
      metadata: md,
      created_at: stamp(120 + (i % 1000)),
      updated_at: stamp(60),
    });
  }
  for (let i = sessions; i < beads; i++) {
    const p = pools[Math.floor(rand() * pools.length)];
    const assigned = rand() < 0.3 ? out[Math.floor(rand() * sessions)] : null;
    out.push({
      id: idOf('gw', i),
      title: `task ${i}`,
      status: assigned ? 'in_progress' : 'open',
      issue_type: 'task',
      priority: Math.floor(rand() * 4),
      ...(assigned ? { assignee: assigned.metadata.session_name } : {}),
      metadata: { 'gc.routed_to': p.q },
      created_at: stamp(30),
      updated_at: stamp(30),
    });
  }
  // Its own generator: the beads are those of the id order, whatever the order.
  if (order === 'shuffled') {
    const mix = xorshift(seed ^ 0x5bd1e995);
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(mix() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
  }
  return {
    schema: 'gc-tui/1',
    city: {
      workspace: { name: `generated-${beads}`, max_active_sessions: null },
      daemon: { patrol_interval: '30s' },
      rigs: [
        { name: 'frontend', max_active_sessions: null },
        { name: 'backend', max_active_sessions: null },
        { name: 'ops', max_active_sessions: 30 },
      ],
      agents,
      named_sessions: [{ template: 'mayor' }],
    },
    seq: beads,
    beads: out,
    decisions: [],
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : dflt;
  };
  const beads = Number(arg('--beads', '100000'));
  const file = arg('--out', join(mkdtempSync(join(tmpdir(), 'gc-tui-big-')), `store-${beads}.json`));
  const order = arg('--order', 'id');
  writeFileSync(file, JSON.stringify(generateStore({ beads, seed: Number(arg('--seed', '1')), order })));
  console.log(file);
}
