// Rule editions: every fixture of fixtures/editions/ is planned under both editions, each against an expected
// plan derived by hand (from the rules in docs/rules.md for 2026-05, from the fork's code as cited in each
// fixture's `why` for 2026-08). `<name>.expected.json` holds, per edition, the expected
// { metrics, repairs, findings, pools } at a fixed `now`, evidence substrings, the accepted pool requests,
// the rounds to converge and, optionally, the figures and findings of the plan after one apply (`after`).
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EDITIONS, NO_MARKER, applyRepairs, detectEdition, editionRules, nextPlanChange, plan } from '../../src/engine/index.js';
import type { Bead, Change, Edition, Finding, Metrics, PoolPlan, Repair, State } from '../../src/engine/index.js';
import { PROPERTY_RUNS } from '../support/runs.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dir = join(root, 'fixtures/editions');
const scenarios = join(root, 'fixtures/scenarios');

interface ExpectedRepair {
  id: string;
  kind: Repair['kind'];
  beadId: string;
  template: string | null;
  changes: Change[];
}

interface ExpectedFinding {
  kind: Finding['kind'];
  severity: Finding['severity'];
  beadId?: string;
  workId?: string;
  template?: string;
}

interface ExpectedPlan {
  why: string;
  metrics: Metrics;
  repairs: ExpectedRepair[];
  findings: ExpectedFinding[];
  pools: PoolPlan[];
  evidence?: Record<string, string[]>;
  accepted?: Record<string, string[]>;
  rounds?: number;
  after?: { metrics: Metrics; findings: ExpectedFinding[] };
}

interface Expected {
  now: string;
  why: string;
  editions: Record<Edition, ExpectedPlan>;
}

const names = readdirSync(dir)
  .filter((f) => f.endsWith('.expected.json'))
  .map((f) => f.slice(0, -'.expected.json'.length))
  .sort();

const loadState = (name: string, from = dir): State => JSON.parse(readFileSync(join(from, `${name}.json`), 'utf8')) as State;
const loadExpected = (name: string): Expected => JSON.parse(readFileSync(join(dir, `${name}.expected.json`), 'utf8')) as Expected;
const byField = (a: Change, b: Change) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0);

function repairShape(r: Repair | ExpectedRepair): ExpectedRepair {
  return {
    id: r.id,
    kind: r.kind,
    beadId: r.beadId,
    template: r.template,
    changes: r.changes.map((c) => ({ field: c.field, before: c.before, after: c.after })).sort(byField),
  };
}

function findingShape(f: Finding | ExpectedFinding): ExpectedFinding {
  const out: ExpectedFinding = { kind: f.kind, severity: f.severity };
  if (f.beadId !== undefined) out.beadId = f.beadId;
  if (f.workId !== undefined) out.workId = f.workId;
  if (f.template !== undefined) out.template = f.template;
  return out;
}

const findingKey = (f: Finding | ExpectedFinding) => `${f.kind}:${f.beadId ?? f.workId ?? f.template ?? ''}`;

it('has edition fixtures, each with an expected plan per edition', () => {
  expect(names.length).toBeGreaterThanOrEqual(5);
  for (const name of names) expect(Object.keys(loadExpected(name).editions).sort(), name).toEqual([...EDITIONS]);
});

describe.each(names)('edition fixture %s', (name) => {
  const exp = loadExpected(name);
  const now = new Date(exp.now);

  describe.each(EDITIONS)('under %s', (edition) => {
    const want = exp.editions[edition];

    it('metrics, repairs, findings and pools', () => {
      const p = plan(loadState(name), now, edition);
      expect(p.metrics).toEqual(want.metrics);
      expect(p.repairs.map(repairShape)).toEqual(want.repairs.map(repairShape));
      expect(p.findings.map(findingShape)).toEqual(want.findings.map(findingShape));
      expect(p.pools).toEqual(want.pools);
    });

    it('reasons and messages name their evidence', () => {
      const p = plan(loadState(name), now, { edition });
      for (const r of p.repairs) expect(r.reason, r.id).toMatch(/\S/);
      for (const f of p.findings) expect(f.message, findingKey(f)).toMatch(/\S/);
      for (const [key, needles] of Object.entries(want.evidence ?? {})) {
        const text = p.repairs.find((r) => r.id === key)?.reason ?? p.findings.find((f) => findingKey(f) === key)?.message;
        expect(text, `no repair or finding ${key}`).toBeDefined();
        for (const needle of needles) expect(text, key).toContain(needle);
      }
    });

    if (want.accepted) {
      const accepted = want.accepted;
      it('accepted pool requests', () => {
        const p = plan(loadState(name), now, edition);
        for (const [template, list] of Object.entries(accepted)) {
          const t = p.detail.templates.find((d) => d.template === template);
          const got = (t?.requests ?? []).filter((r) => r.accepted).map((r) => `${r.tier}:${r.beadId ?? '-'}`);
          expect(got.sort(), template).toEqual([...list].sort());
        }
      });
    }

    it('is pure and converges under its own edition', () => {
      let s = loadState(name);
      const before = JSON.stringify(s);
      plan(s, now, edition);
      expect(JSON.stringify(s)).toBe(before);
      let rounds = 0;
      for (;;) {
        const p = plan(s, now, edition);
        if (p.repairs.length === 0) break;
        rounds += 1;
        expect(rounds, p.repairs.map((r) => r.id).join(', ')).toBeLessThanOrEqual(10);
        s = applyRepairs(s, p.repairs);
      }
      if (want.rounds !== undefined) expect(rounds).toBe(want.rounds);
    });

    if (want.after) {
      const after = want.after;
      it('after one apply: figures and findings', () => {
        const s = loadState(name);
        const next = plan(applyRepairs(s, plan(s, now, edition).repairs), now, edition);
        expect(next.metrics).toEqual(after.metrics);
        expect(next.findings.map(findingShape)).toEqual(after.findings.map(findingShape));
      });
    }
  });

  it('the default edition is 2026-05, bit for bit', () => {
    const s = loadState(name);
    const a = JSON.stringify(plan(s, now));
    expect(JSON.stringify(plan(s, now, '2026-05'))).toBe(a);
    expect(JSON.stringify(plan(s, now, { edition: '2026-05' }))).toBe(a);
    expect(JSON.stringify(plan(s, now, {}))).toBe(a);
  });
});

describe('the edition table', () => {
  it('2026-05 is PR #2076; an unknown edition falls back to it', () => {
    expect(editionRules(undefined).edition).toBe('2026-05');
    expect(editionRules('2099-01' as Edition).edition).toBe('2026-05');
    expect(editionRules('2026-08').edition).toBe('2026-08');
  });
});

describe('nextPlanChange under each edition', () => {
  const t = (iso: string) => new Date(iso).getTime();
  it('2026-05: 10 min after the start; 2026-08: the lease ends and the in-flight window of fixture stale-create-ages', () => {
    const s = loadState('stale-create-ages');
    const now = t('2026-08-20T12:00:00Z');
    // 2026-05: q4 (pending_create_claim, started 11:52; its state is unknown, counted all the same) → 12:02.
    expect(nextPlanChange(s, now)).toBe(t('2026-08-20T12:02:00Z'));
    expect(nextPlanChange(s, now, '2026-05')).toBe(t('2026-08-20T12:02:00Z'));
    // 2026-08: q5 woke 11:59:30, its start window ends at 12:00:37.
    expect(nextPlanChange(s, now, '2026-08')).toBe(t('2026-08-20T12:00:37Z'));
    // Every instant it names is one at which the plan really may change; never later than the first change.
    const at = nextPlanChange(s, now, '2026-08')!;
    const ids = (ms: number) => plan(s, new Date(ms), '2026-08').repairs.map((r) => r.id);
    expect(ids(at - 1000)).toEqual(ids(now));
    expect(ids(at)).not.toEqual(ids(now));
  });
});

describe('detectEdition (--rules auto)', () => {
  const session = (id: string, metadata: Record<string, string>): Bead => ({ id, status: 'open', issue_type: 'session', metadata });
  const city = { agents: [{ name: 'w', max_active_sessions: 2 }] };
  const st = (beads: Bead[], extra: Partial<State> = {}): State => ({ city, beads, ...extra });

  it('no marker: 2026-05, saying so', () => {
    expect(detectEdition(st([session('a', { state: 'active' })]))).toEqual({ edition: '2026-05', why: NO_MARKER });
    expect(NO_MARKER).toBe('no marker of a build newer than PR #2076');
  });

  it('a sealed file', () => {
    const d = detectEdition(st([], { markers: { revisions_sealed: true } }));
    expect(d.edition).toBe('2026-08');
    expect(d.why).toContain('revisions_sealed');
    expect(detectEdition(st([], { markers: { revisions_sealed: false } })).edition).toBe('2026-05');
  });

  it('canonical_* metadata and start-pending, naming the first marker in file order', () => {
    for (const key of ['canonical_instance_name', 'canonical_pool_slot']) {
      const d = detectEdition(st([session('a', { state: 'active' }), session('b', { [key]: 'x' })]));
      expect(d).toEqual({ edition: '2026-08', why: expect.stringContaining(`session bead b carries ${key}`) as string });
    }
    // Both on one bead: canonical_instance_name is named; an empty one does not count.
    expect(detectEdition(st([session('b', { canonical_pool_slot: '1', canonical_instance_name: 'x' })])).why).toContain(
      'carries canonical_instance_name',
    );
    expect(detectEdition(st([session('b', { canonical_instance_name: '', canonical_pool_slot: '1' })])).why).toContain(
      'carries canonical_pool_slot',
    );
    const d = detectEdition(st([session('p', { state: 'start-pending' }), session('c', { canonical_pool_slot: '1' })]));
    expect(d.edition).toBe('2026-08');
    expect(d.why).toContain('session bead p is in state start-pending');
    // The sealed file is named first, whatever the beads say.
    expect(detectEdition(st([session('p', { state: 'start-pending' })], { markers: { revisions_sealed: true } })).why).toContain(
      'revisions_sealed',
    );
  });

  it('only markers count: empty values, work beads and closed history of other keys do not', () => {
    expect(detectEdition(st([session('a', { canonical_instance_name: '' })])).edition).toBe('2026-05');
    expect(detectEdition(st([{ id: 'w', issue_type: 'task', metadata: { state: 'start-pending' } }])).edition).toBe('2026-05');
  });

  it('every 2026-05 scenario fixture reads as 2026-05; the edition fixtures with a marker as 2026-08', () => {
    for (const f of readdirSync(scenarios).filter((x) => x.endsWith('.expected.json'))) {
      const name = f.slice(0, -'.expected.json'.length);
      expect(detectEdition(loadState(name, scenarios)), name).toEqual({ edition: '2026-05', why: NO_MARKER });
    }
    expect(detectEdition(loadState('start-pending')).edition).toBe('2026-08');
    expect(detectEdition(loadState('singleton-canonical')).edition).toBe('2026-05');
  });
});

describe('2026-08 on random cities (the generators of properties.test.ts)', () => {
  const NOW8 = new Date('2026-05-06T02:13:00Z');
  const RUNS = PROPERTY_RUNS;
  it('does not throw, is pure, each bead gets at most one repair of a kind, every before holds, and it converges', async () => {
    const fc = (await import('fast-check')).default;
    const { cityArb } = await import('./arbitraries.js');
    fc.assert(
      fc.property(cityArb, (s: State) => {
        const before = JSON.stringify(s);
        let p = plan(s, NOW8, '2026-08');
        expect(JSON.stringify(s)).toBe(before);
        const ids = p.repairs.map((r) => r.id);
        expect(new Set(ids).size).toBe(ids.length);
        const byId = new Map(s.beads.map((b) => [b.id, b]));
        for (const r of p.repairs)
          for (const c of r.changes) {
            const b = byId.get(r.beadId)!;
            const actual = c.field.startsWith('metadata.')
              ? b.metadata && Object.prototype.hasOwnProperty.call(b.metadata, c.field.slice(9))
                ? String(b.metadata[c.field.slice(9)])
                : null
              : b[c.field] === undefined || b[c.field] === null
                ? null
                : String(b[c.field]);
            expect(actual, `${r.id} ${c.field}`).toBe(c.before);
          }
        let cur = s;
        let rounds = 0;
        while (p.repairs.length > 0 && rounds < 12) {
          cur = applyRepairs(cur, p.repairs, { now: NOW8 });
          p = plan(cur, NOW8, '2026-08');
          rounds++;
        }
        expect(p.repairs.map((r) => r.id)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});
