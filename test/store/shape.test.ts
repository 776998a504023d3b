// The hand-written checks of shape.ts let an input through without loading zod, so each must never accept what
// its zod schema refuses (a refused input would then be read as valid); and they must accept the real inputs,
// or the fast path would never be taken.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, test } from 'vitest';
import { JsonNumberText } from '../../src/store/formats/json-text.js';
import { schemas } from '../../src/store/formats/schema.js';
import { isAgentToml, isBeadsFileTop, isCityToml, isStoreTop } from '../../src/store/formats/shape.js';
import { PROPERTY_RUNS } from '../support/runs.js';

const root = join(import.meta.dirname, '../..');
const json = (path: string) => JSON.parse(readFileSync(join(root, path), 'utf8')) as Record<string, unknown>;

/** A value for a field: mostly what the schema wants, often something close to it that it may refuse. */
const odd = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constant(''),
  fc.string({ maxLength: 4 }),
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(0.5, -0, 2 ** 53, Number.MAX_SAFE_INTEGER, 1e21),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
  fc.constant(new JsonNumberText('1e400')),
);
const maybe = <T>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 12, arbitrary: good }, { weight: 1, arbitrary: odd });
const count = maybe(fc.nat({ max: 9 }));
const cap = maybe(fc.option(fc.nat({ max: 9 })));
const name = maybe(fc.constantFrom('a', 'ops/runner', 'x'));
const list = <T>(item: fc.Arbitrary<T>) => maybe(fc.array(item, { maxLength: 3 }));
/** An object of `fields`, the keys not `required` sometimes absent, sometimes with an unknown extra key. */
const record = (fields: Record<string, fc.Arbitrary<unknown>>, required: string[] = []) =>
  maybe(
    fc
      .tuple(fc.record(fields, { requiredKeys: required }), fc.option(fc.constantFrom('extra', '__proto__', 'constructor')))
      .map(([o, extra]) => (extra ? JSON.parse(JSON.stringify({ ...o, [extra]: 1 })) : o) as unknown),
  );

const agentFields = {
  dir: maybe(fc.constantFrom('ops', '')),
  max_active_sessions: cap,
  min_active_sessions: cap,
  scale_check: maybe(fc.constant('echo 1')),
  suspended: maybe(fc.boolean()),
};
const storeTop = record(
  {
    schema: maybe(fc.constant('gc-tui/1')),
    city: record(
      {
        workspace: record({ name: maybe(fc.constant('w')), max_active_sessions: cap }),
        daemon: record({ patrol_interval: maybe(fc.constant('30s')) }),
        rigs: list(record({ name, max_active_sessions: cap, suspended: maybe(fc.boolean()) }, ['name'])),
        agents: list(
          record({ name, ...agentFields, namepool: list(fc.constant('n')), namepool_file: maybe(fc.constant('n.txt')) }, ['name']),
        ),
        named_sessions: list(record({ template: name, identity: maybe(fc.constant('i')) })),
      },
      ['agents'],
    ),
    demand: maybe(fc.dictionary(fc.constantFrom('a', 'b', '__proto__'), count)),
    seq: maybe(fc.oneof(fc.nat(), fc.constant(new JsonNumberText('1e400')))),
    decisions: list(record({ repair: maybe(fc.constant('r')), decision: maybe(fc.constant('approve')) })),
    beads: maybe(fc.constant([])),
  },
  ['schema', 'city', 'beads'],
);
const tomlAgentFields = { ...agentFields, max_active_sessions: count, min_active_sessions: count, namepool: maybe(fc.constant('n.txt')) };
const cityToml = record({
  workspace: record({ name: maybe(fc.constant('w')), max_active_sessions: count }),
  daemon: record({ patrol_interval: maybe(fc.constant('30s')) }),
  rigs: list(record({ name, max_active_sessions: count, suspended: maybe(fc.boolean()) })),
  agent: list(record({ name, ...tomlAgentFields })),
  named_session: list(
    record({ template: name, name: maybe(fc.constant('n')), dir: maybe(fc.constant('d')), scope: maybe(fc.constant('rig')) }),
  ),
});
const agentToml = record({ name: maybe(fc.constant('a')), ...tomlAgentFields });
const beadsTop = record({ seq: maybe(fc.nat()), beads: maybe(fc.constant([])) });

describe('shape.ts never accepts what zod refuses', () => {
  const cases = [
    ['a store top level', storeTop, isStoreTop, () => schemas().storeTopSchema],
    ['a beads.json top level', beadsTop, isBeadsFileTop, () => schemas().beadsFileTopSchema],
    ['a city.toml', cityToml, isCityToml, () => schemas().cityTomlSchema],
    ['an agent.toml', agentToml, isAgentToml, () => schemas().agentTomlSchema],
  ] as const;
  test.each(cases)('%s', (_what, arb, check, schema) => {
    let accepted = 0;
    fc.assert(
      fc.property(arb, (doc) => {
        if (!check(doc)) return;
        accepted++;
        expect(schema().safeParse(doc).success).toBe(true);
      }),
      { numRuns: PROPERTY_RUNS * 25 },
    );
    // The generators reach both sides: a check that accepted nothing would pass vacuously.
    expect(accepted).toBeGreaterThan(0);
  });
});

describe('shape.ts accepts the real inputs (the fast path is taken)', () => {
  test('every store fixture and scenario', () => {
    const stores = ['fixtures/demo-city.json', ...readdirSync(join(root, 'fixtures/scenarios')).map((f) => `fixtures/scenarios/${f}`)];
    let n = 0;
    for (const f of stores.filter((f) => f.endsWith('.json') && !f.endsWith('.expected.json'))) {
      const doc = json(f);
      if (doc.schema !== 'gc-tui/1') continue;
      expect(isStoreTop(doc), f).toBe(true);
      n++;
    }
    expect(n).toBeGreaterThan(0);
  });

  test("Gas City's own files: beads.json and the toml of the sample cities", () => {
    expect(isBeadsFileTop(json('fixtures/gascity-samples/beads.json'))).toBe(true);
    for (const f of ['fixtures/gascity-samples/pack.toml', 'fixtures/bd-city/city.toml', 'fixtures/tokens/city.toml']) {
      expect(isCityToml(parseToml(readFileSync(join(root, f), 'utf8'))), f).toBe(true);
    }
  });
});
