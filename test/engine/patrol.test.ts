// Time in the plan: the patrol interval read as Gas City reads it (one parser for the plan's ETAs and the
// console's timer), and the next instant at which an unchanged state's plan can change.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PATROL_MS, nextPlanChange, parseDurationMs, patrolIntervalMs, plan } from '../../src/engine/index.js';
import { NOW, city, pooled, state, work } from './build.js';

const creating = (id: string, started: string) =>
  pooled(id, 'w', { state: 'creating', pending_create_claim: 'true', pending_create_started_at: started });

describe('the patrol interval', () => {
  it('parses Go durations (time.ParseDuration) to milliseconds', () => {
    expect(parseDurationMs('30s')).toBe(30_000);
    expect(parseDurationMs('1m30s')).toBe(90_000);
    expect(parseDurationMs('1.5h')).toBe(5_400_000);
    expect(parseDurationMs('500ms')).toBe(500);
    expect(parseDurationMs('2h45m')).toBe(9_900_000);
    expect(parseDurationMs('.5s')).toBe(500);
    expect(parseDurationMs('1500us')).toBe(1.5);
    expect(parseDurationMs('1500\u00b5s')).toBe(1.5);
    expect(parseDurationMs('+10s')).toBe(10_000);
  });

  it('is null when absent, not a Go duration, or not positive: "0s" parses in Go, but no patrol ticks at 0', () => {
    for (const text of [undefined, '', 'often', '30', '30 s', 's', '.s', '1e3s', '30sec', '0', '0s', '+0s', '-5s', '0.0h', '3000000h']) {
      expect(parseDurationMs(text), String(text)).toBeNull();
    }
  });

  it('a city without a usable interval patrols every 30 s, the default both the plan and the console use', () => {
    expect(DEFAULT_PATROL_MS).toBe(30_000);
    expect(patrolIntervalMs(city([], { daemon: { patrol_interval: '10s' } }))).toBe(10_000);
    for (const patrol_interval of [undefined, '0s', 'often']) {
      expect(patrolIntervalMs(city([], { daemon: { patrol_interval } }))).toBe(30_000);
    }
    expect(patrolIntervalMs(city([]))).toBe(30_000);
    expect(patrolIntervalMs(null)).toBe(30_000);
  });

  it('the deferral ETA of the plan uses the same interval: "0s" reads as the 30 s default there too', () => {
    const beads = Array.from({ length: 7 }, (_, i) => creating(`b${i}`, '2026-05-06T01:00:00Z'));
    for (const [patrol_interval, seconds] of [
      ['0s', 30],
      ['10s', 10],
      [undefined, 30],
    ] as const) {
      const p = plan(state(city([{ name: 'w' }], { daemon: { patrol_interval } }), beads), NOW);
      const deferred = p.findings.filter((f) => f.kind === 'deferred-rollback');
      expect(deferred.length).toBe(2);
      expect(deferred[0].message).toMatch(new RegExp(`deferred about 1 tick\\(s\\), ~${seconds} s$`));
    }
  });
});

describe('nextPlanChange', () => {
  const c = city([{ name: 'w' }]);
  const t = (iso: string) => Date.parse(iso);

  it('is the earliest future stale-create threshold (start + 10 min) of a bead in flight', () => {
    const s = state(c, [
      creating('later', '2026-05-06T02:08:00Z'), // stale at 02:18
      creating('sooner', '2026-05-06T02:05:30Z'), // stale at 02:15:30
      creating('stale', '2026-05-06T01:00:00Z'), // stale already
      pooled('asleep', 'w', { state: 'asleep', pending_create_started_at: '2026-05-06T02:04:00Z' }), // not in flight
      creating('nostart', ''),
      creating('junk', 'yesterday'),
    ]);
    expect(nextPlanChange(s, NOW.getTime())).toBe(t('2026-05-06T02:15:30Z'));
    expect(nextPlanChange(s, t('2026-05-06T02:15:30Z'))).toBe(t('2026-05-06T02:18:00Z'));
    expect(nextPlanChange(s, t('2026-05-06T02:18:00Z'))).toBeNull();
  });

  it('2026-08: also when open work deferred until later becomes new demand (a pool wants a session then)', () => {
    const deferred = { ...work('w', { route: 'w', status: 'open' }), defer_until: '2026-05-06T02:20:00.5Z' };
    const s = state(c, [deferred]);
    expect(nextPlanChange(s, NOW.getTime())).toBeNull();
    const at = nextPlanChange(s, NOW.getTime(), '2026-08')!;
    expect(at).toBe(t('2026-05-06T02:20:00.5Z'));
    const desired = (ms: number) => plan(s, new Date(ms), '2026-08').pools[0].desired;
    expect([desired(at - 1), desired(at)]).toEqual([0, 1]);
  });

  it('is null when nothing is in flight: only a change of the state changes the plan', () => {
    expect(nextPlanChange(state(c, [pooled('a', 'w', { agent_name: 'w-1', alias: 'w-1', pool_slot: '1' })]), NOW.getTime())).toBeNull();
    expect(nextPlanChange(state(c, []), NOW.getTime())).toBeNull();
  });

  it('the plan is the same until that instant and changes at it', () => {
    const s = state(c, [creating('x', '2026-05-06T02:05:30Z'), creating('y', '2026-05-06T02:09:00Z')]);
    const at = nextPlanChange(s, NOW.getTime())!;
    const ids = (ms: number) => plan(s, new Date(ms)).repairs.map((r) => r.id);
    expect(ids(NOW.getTime())).toEqual([]);
    expect(ids(at - 1)).toEqual([]);
    expect(ids(at)).toEqual(['rollback-stale-create:x']);
    const again = nextPlanChange(s, at)!;
    expect(ids(again - 1)).toEqual(['rollback-stale-create:x']);
    expect(ids(again)).toEqual(['rollback-stale-create:x', 'rollback-stale-create:y']);
  });
});
