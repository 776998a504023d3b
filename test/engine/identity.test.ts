// R2: the owned slot is anchored to the concrete agent identity.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { plan, type State } from '../../src/engine/index.js';
import { editionRules } from '../../src/engine/editions.js';
import { buildCityModel, sessionTable, type Template } from '../../src/engine/model.js';
import { agentIdentity, decideAgreedSlot, decideSlot, ownedSlot } from '../../src/engine/rules/identity.js';
import { city, pooled, state } from './build.js';

const two = city([
  { name: 'worker', dir: 'frontend', max_active_sessions: 10 },
  { name: 'worker', dir: 'backend', max_active_sessions: 10 },
  { name: 'polecat', dir: 'gt', namepool: ['furiosa', 'nux', 'slit'] },
  { name: 'kimi' },
  { name: 'small', max_active_sessions: 5 },
]);
const model = buildCityModel(state(two, []));
const T = (q: string) => model.byName.get(q)!;
const slotOf = (q: string, md: Record<string, string>) => ownedSlot(T(q), pooled('b', q, md)).owned;

describe('R2 owned slot', () => {
  it('prefers the concrete agent slot over a stale pool_slot and a foreign alias (PR #2076)', () => {
    expect(slotOf('frontend/worker', { agent_name: 'frontend/worker-3', alias: 'backend/worker-4', pool_slot: '4' })).toBe(3);
  });
  it('keeps an in-bounds pool_slot over an out-of-bounds agent_name', () => {
    expect(slotOf('small', { agent_name: 'small-99', pool_slot: '2' })).toBe(2);
  });
  it('reads the legacy -gc-<n> form and namepool names', () => {
    expect(slotOf('kimi', { agent_name: 'kimi-gc-7' })).toBe(7);
    expect(slotOf('gt/polecat', { agent_name: 'gt/nux' })).toBe(2);
    expect(slotOf('gt/polecat', { agent_name: 'nux' })).toBe(0); // the rig prefix is part of the name
  });
  it('a foreign bead with no identity of the template owns nothing', () => {
    expect(slotOf('frontend/worker', { template: 'backend/worker', agent_name: 'backend/worker-2', pool_slot: '2' })).toBe(0);
  });
  it('an out-of-bounds pool_slot falls back to the first usable identity, else 0 on a bounded pool', () => {
    expect(slotOf('small', { pool_slot: '9', alias: 'small-4' })).toBe(4);
    expect(slotOf('small', { pool_slot: '9', agent_name: 'small-8' })).toBe(0);
  });
  it('an unbounded pool keeps its pool_slot when no identity names a slot', () => {
    expect(slotOf('kimi', { pool_slot: '40', alias: '' })).toBe(40);
    expect(slotOf('kimi', { pool_slot: '40', agent_name: 'kimi-41' })).toBe(41);
  });
  it('without pool_slot: agent, then alias, then session_name (only when alias is empty and template matches)', () => {
    expect(slotOf('kimi', { agent_name: 'kimi-2', alias: 'kimi-3' })).toBe(2);
    expect(slotOf('kimi', { alias: 'kimi-3' })).toBe(3);
    expect(slotOf('kimi', { session_name: 'kimi-5' })).toBe(5);
    expect(slotOf('kimi', { session_name: 'kimi-5', alias: 'x' })).toBe(0);
    expect(slotOf('small', { agent_name: 'small-7', alias: 'small-2' })).toBe(2);
  });
  it('treats a pool_slot that is not a positive decimal as absent', () => {
    expect(slotOf('kimi', { pool_slot: '04', agent_name: 'kimi-2' })).toBe(2);
    expect(slotOf('kimi', { pool_slot: '1000000', alias: 'kimi-6' })).toBe(6);
    expect(slotOf('kimi', { pool_slot: 'x' })).toBe(0);
  });
  it('explains the decision naming the evidence', () => {
    const r = ownedSlot(T('frontend/worker'), pooled('b', 'frontend/worker', { agent_name: 'frontend/worker-3', pool_slot: '4' }));
    expect(r.reason).toContain('frontend/worker-3');
    expect(r.reason).toContain('4');
  });
});

describe('2026-08 canonical identity', () => {
  it('a max-1 agent is a singleton unless it names a namepool file, read or not (UsesCanonicalSingletonPoolIdentity)', () => {
    const runner = (extra: object) => city([{ name: 'runner', dir: 'ops', max_active_sessions: 1, ...extra }]);
    const bead = pooled('r1', 'ops/runner', { agent_name: 'ops/runner-1', alias: 'ops/runner-1', pool_slot: '1', state: 'active' });
    const kinds = (c: ReturnType<typeof runner>) =>
      plan(state(c, [bead]), new Date('2026-08-10T00:00:00Z'), '2026-08').repairs.map((r) => r.kind);
    expect(kinds(runner({}))).toContain('canonical-identity');
    // Its file missing or unreadable (no names): Gas City still counts the path, and runner-1 keeps its number.
    expect(kinds(runner({ namepool: [], namepool_file: 'namepools/runner.txt' }))).toEqual([]);
    expect(kinds(runner({ namepool: [], namepool_file: '  ' }))).toContain('canonical-identity');
  });

  it('a conflict already on record lists no key it leaves as it is (the time stamp apart)', () => {
    const doc = JSON.parse(readFileSync(new URL('../../fixtures/editions/singleton-conflict.json', import.meta.url), 'utf8')) as State;
    Object.assign(doc.beads.find((b) => b.id === 'a1')!.metadata!, {
      pool_alias_conflict: 'ops/runner',
      pool_alias_conflict_count: '2',
      pool_alias_conflict_at: '2026-08-05T00:00:00Z',
    });
    const repairs = plan(doc, new Date('2026-08-10T00:00:00Z'), '2026-08').repairs.filter((r) => r.beadId === 'a1');
    expect(repairs.length).toBeGreaterThan(0);
    for (const r of repairs)
      for (const c of r.changes)
        if (c.field !== 'metadata.pool_alias_conflict_at') expect(c.before, `${r.id} ${c.field}`).not.toBe(c.after);
  });
});

describe('R2 for the usual session (decideAgreedSlot)', () => {
  // Pools bounded and not (under each edition's city rules), with and without a namepool, a max of 0 and a negative one.
  const agents = [
    { name: 'worker', dir: 'frontend', max_active_sessions: 10 },
    { name: 'kimi' },
    { name: 'zero', max_active_sessions: 0 },
    { name: 'neg', max_active_sessions: -2 },
    { name: 'polecat', dir: 'gt', namepool: ['furiosa', 'nux', 'slit'] },
    { name: 'pole', dir: 'gt', max_active_sessions: 8, namepool: ['pole-2', 'nux'] },
    { name: 'solo', max_active_sessions: 1 },
  ];
  const models = [buildCityModel(state(city(agents), [])), buildCityModel(state(city(agents), []), editionRules('2026-08').city)];
  const slotTexts = ['', '0', '1', '2', '3', '4', '04', '9', '10', '11', '999999', '1000000', 'x', '2 '];
  const identities = (t: Template): string[] => [
    '',
    ...['1', '2', '3', '4', '9', '10', '11', '02', 'gc-2', '999999', '1000000', '2x'].map((s) => `${t.qualified}-${s}`),
    ...t.slotNames.slice(1),
    'gt/nux',
    'elsewhere-2',
  ];

  it('answers only where decideSlot answers the same, filling the same columns', () => {
    let agreed = 0;
    for (const model of models)
      for (const t of model.templates)
        for (const pool_slot of slotTexts)
          for (const id of identities(t))
            for (const alias of [id, `${id}`.split('').join(''), '', `${t.qualified}-3`]) {
              const bead = pooled('b', t.qualified, { agent_name: id, alias, pool_slot });
              const mine = sessionTable([bead]);
              const theirs = sessionTable([bead]);
              const s = decideAgreedSlot(t, mine, 0, alias, agentIdentity(bead), pool_slot);
              const owned = decideSlot(t, bead, theirs, 0);
              if (s === 0) {
                expect(mine).toEqual(sessionTable([bead]));
                continue;
              }
              agreed++;
              expect(s).toBe(owned);
              expect(mine).toEqual(theirs);
            }
    // The usual case is met: most beads that are their slot's identity.
    expect(agreed).toBeGreaterThan(100);
  });
});
