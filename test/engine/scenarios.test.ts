// Independent oracle: one hand-made fixture per scenario, with the exact plan derived by hand from
// the rules as docs/rules.md states them (not from the engine). Each `fixtures/scenarios/<name>.json` is a gc-tui
// store file; `<name>.expected.json` holds the expected { metrics, repairs, findings, pools } at a
// fixed `now`, a `why`, and evidence substrings that each reason/message must contain.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyRepairs, plan } from '../../src/engine/index.js';
import type { Change, Finding, Metrics, PoolPlan, Repair, State } from '../../src/engine/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dir = join(root, 'fixtures/scenarios');

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

interface Expected {
  now: string;
  why: string;
  metrics: Metrics;
  repairs: ExpectedRepair[];
  findings: ExpectedFinding[];
  pools: PoolPlan[];
  /** `<repair id>` or `<finding kind>:<beadId|workId|template>` → substrings the reason/message must contain. */
  evidence?: Record<string, string[]>;
  /** Number of apply rounds until a plan has no repairs (when the scenario is about it). */
  rounds?: number;
  /** Accepted pool requests per template, as `<tier>:<beadId|->` (order-insensitive). Checks plan.detail. */
  accepted?: Record<string, string[]>;
}

const names = readdirSync(dir)
  .filter((f) => f.endsWith('.expected.json'))
  .map((f) => f.slice(0, -'.expected.json'.length))
  .sort();

function loadState(name: string): State {
  return JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as State;
}

function loadExpected(name: string): Expected {
  return JSON.parse(readFileSync(join(dir, `${name}.expected.json`), 'utf8')) as Expected;
}

const byField = (a: Change, b: Change) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0);

/** Change order within a repair is not fixed by CONTRACT.md: compare them as a set (sorted by field). */
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

function findingKey(f: Finding | ExpectedFinding): string {
  return `${f.kind}:${f.beadId ?? f.workId ?? f.template ?? ''}`;
}

it('has scenario fixtures', () => {
  expect(names.length).toBeGreaterThan(20);
});

describe.each(names)('scenario %s', (name) => {
  const exp = loadExpected(name);
  const now = new Date(exp.now);

  it('metrics', () => {
    expect(plan(loadState(name), now).metrics).toEqual(exp.metrics);
  });

  it('repairs (ids, kinds, beads, templates, changes; sorted by id)', () => {
    const p = plan(loadState(name), now);
    expect(p.repairs.map(repairShape)).toEqual(exp.repairs.map(repairShape));
  });

  it('findings (kind, severity, bead/work/template; sorted)', () => {
    const p = plan(loadState(name), now);
    expect(p.findings.map(findingShape)).toEqual(exp.findings.map(findingShape));
  });

  it('pools', () => {
    expect(plan(loadState(name), now).pools).toEqual(exp.pools);
  });

  it('reasons and messages name their evidence', () => {
    const p = plan(loadState(name), now);
    for (const r of p.repairs) expect(r.reason, r.id).toMatch(/\S/);
    for (const f of p.findings) expect(f.message, findingKey(f)).toMatch(/\S/);
    for (const [key, needles] of Object.entries(exp.evidence ?? {})) {
      const text = p.repairs.find((r) => r.id === key)?.reason ?? p.findings.find((f) => findingKey(f) === key)?.message;
      expect(text, `no repair or finding ${key}`).toBeDefined();
      for (const needle of needles) expect(text, key).toContain(needle);
    }
  });

  it('is pure (does not mutate its input)', () => {
    const s = loadState(name);
    const before = JSON.stringify(s);
    plan(s, now);
    expect(JSON.stringify(s)).toBe(before);
  });

  it('converges: apply all repairs and re-plan reaches no repairs within 10 rounds', () => {
    let s = loadState(name);
    let rounds = 0;
    for (;;) {
      const p = plan(s, now);
      if (p.repairs.length === 0) break;
      rounds += 1;
      expect(rounds, `still repairing after 10 rounds: ${p.repairs.map((r) => r.id).join(', ')}`).toBeLessThanOrEqual(10);
      s = applyRepairs(s, p.repairs);
    }
    if (exp.rounds !== undefined) expect(rounds).toBe(exp.rounds);
  });

  if (exp.accepted) {
    const accepted = exp.accepted;
    it('accepted pool requests (plan.detail)', () => {
      const p = plan(loadState(name), now);
      for (const [template, want] of Object.entries(accepted)) {
        const t = p.detail.templates.find((d) => d.template === template);
        expect(t, template).toBeDefined();
        const got = (t?.requests ?? []).filter((r) => r.accepted).map((r) => `${r.tier}:${r.beadId ?? '-'}`);
        expect([...got].sort(), template).toEqual([...want].sort());
      }
    });
  }
});
