// The worked example of the product's contract (fixtures/spec-examples/SOURCE.md) must come out of the engine exactly, except for the
// wording of `reason` and `message` (which must still name the evidence).
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { plan } from '../../src/engine/index.js';
import type { Finding, Plan, Repair, State } from '../../src/engine/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const examples = resolve(root, 'fixtures/spec-examples'); // a copy of the contract's worked examples

interface Check {
  metrics: Plan['metrics'];
  repairs: Repair[];
  findings: Finding[];
  pools: Plan['pools'];
}

const store = JSON.parse(readFileSync(join(examples, 'pr2076-identity.store.json'), 'utf8')) as State;
const check = JSON.parse(readFileSync(join(examples, 'pr2076-identity.check.json'), 'utf8')) as Check;
const now = new Date('2026-05-06T02:13:00Z');

const withoutReason = (r: Repair) => ({ id: r.id, kind: r.kind, beadId: r.beadId, template: r.template, changes: r.changes });
const withoutMessage = (f: Finding) => {
  const { message: _message, ...rest } = f;
  return rest;
};

describe('contract example pr2076-identity (check --json --now 2026-05-06T02:13:00Z)', () => {
  const p = plan(store, now);

  it('metrics', () => {
    expect(p.metrics).toEqual(check.metrics);
  });

  it('repairs: ids, kinds, beads, templates and changes in order', () => {
    expect(p.repairs.map(withoutReason)).toEqual(check.repairs.map(withoutReason));
  });

  it('findings', () => {
    expect(p.findings.map(withoutMessage)).toEqual(check.findings.map(withoutMessage));
  });

  it('pools', () => {
    expect(p.pools).toEqual(check.pools);
  });

  it('reasons name the evidence', () => {
    const alias = p.repairs.find((r) => r.id === 'repair-alias:mc-poison');
    expect(alias?.reason).toContain('frontend/worker-3');
    expect(alias?.reason).toContain('backend/worker-4');
    const restamp = p.repairs.find((r) => r.id === 'restamp-slot:mc-poison');
    expect(restamp?.reason).toContain('3');
  });

  it('serialises to the documented check --json shape', () => {
    const json = JSON.parse(JSON.stringify({ metrics: p.metrics, repairs: p.repairs, findings: p.findings, pools: p.pools })) as Check;
    expect(Object.keys(json.metrics).sort()).toEqual(Object.keys(check.metrics).sort());
    for (const r of json.repairs) expect(Object.keys(r).sort()).toEqual(['beadId', 'changes', 'id', 'kind', 'reason', 'template']);
    for (const pool of json.pools)
      expect(Object.keys(pool).sort()).toEqual(['bounded', 'desired', 'duplicates', 'max', 'min', 'slots', 'template']);
  });
});
