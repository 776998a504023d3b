// A pool bounded by its namepool reads so in the headless human outputs, as in the console's pools view (BOUND
// `names`, MAX their number; `bounded: at most 3 names`): the `check` summary and the markdown report said `max=-`
// / `max none` for a pool with no max of its own, as if nothing bounded it. `check --json` keeps `max` as the
// agent's own value (CONTRACT.md), unchanged. Real files on disk.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plan } from '../../src/engine/index.js';
import { loadCity } from '../../src/store/formats/load-city.js';
import { renderMarkdown } from '../../src/store/output/export.js';
import { publicPlan } from '../../src/store/output/plan-view.js';
import { formatCheckSummary } from '../../src/store/output/summary.js';
import { NOW } from '../support/builders.js';
import { tempDir, write } from '../support/files.js';

/** names: 3 names, no max; wide: 3 names, max 5; tight: 3 names, max 2; plain: max 4; free: neither. */
async function city() {
  const dir = tempDir();
  const agent = (name: string, extra: string) => `[[agent]]\nname = "${name}"\n${extra}\n`;
  write(
    join(dir, 'city.toml'),
    '[beads]\nprovider = "file"\n\n' +
      [
        agent('names', 'namepool = "names.txt"'),
        agent('wide', 'namepool = "names.txt"\nmax_active_sessions = 5'),
        agent('tight', 'namepool = "names.txt"\nmax_active_sessions = 2'),
        agent('plain', 'max_active_sessions = 4'),
        agent('free', ''),
      ].join('\n'),
  );
  write(join(dir, 'names.txt'), '# Mad Max\nfuriosa\nnux\nslit\n');
  write(join(dir, '.gc', 'beads.json'), '{"seq":0,"beads":[]}\n');
  const loaded = await loadCity(dir);
  return { loaded, p: plan(loaded.state, NOW) };
}

describe("a pool's namepool bound in the headless outputs", () => {
  it("the check summary: bounded by names, the most it holds as max (its own max beside it); check --json's max stays the agent's own", async () => {
    const { loaded, p } = await city();
    const pools = formatCheckSummary(loaded, p, NOW)
      .split('\n')
      .filter((l) => /^ {2}\w+ {2}/.test(l));
    expect(pools).toEqual([
      '  free  unbounded max=- min=0 desired=0  slots: (none)',
      '  names  bounded by names max=3 min=0 desired=0  slots: (none)',
      '  plain  bounded max=4 min=0 desired=0  slots: (none)',
      '  tight  bounded max=2 min=0 desired=0  slots: (none)',
      '  wide  bounded by names max=3 (its own max=5) min=0 desired=0  slots: (none)',
    ]);
    // check --json keeps its shape: max is the agent's own value, null without one.
    const json = JSON.parse(JSON.stringify(publicPlan(p))) as { pools: { template: string; bounded: boolean; max: number | null }[] };
    expect(json.pools.map((x) => [x.template, x.bounded, x.max])).toEqual([
      ['free', false, null],
      ['names', true, null],
      ['plain', true, 4],
      ['tight', true, 2],
      ['wide', true, 5],
    ]);
    expect(Object.keys(json.pools[0]).sort()).toEqual(['bounded', 'desired', 'duplicates', 'max', 'min', 'slots', 'template']);
  });

  it('the markdown report says it in words', async () => {
    const { loaded, p } = await city();
    const md = renderMarkdown(loaded, p, NOW);
    expect(md).toContain('### names\n\nBounded by its namepool: at most 3 names (no max of its own), min 0, desired 0.');
    expect(md).toContain('### wide\n\nBounded by its namepool: at most 3 names (its own max is 5), min 0, desired 0.');
    expect(md).toContain('### tight\n\nBounded; max 2, min 0, desired 0.');
    expect(md).toContain('### free\n\nUnbounded; max none, min 0, desired 0.');
  });
});
