// Findings view: every finding, actions first, including those that have no slot to show them in.
import { afterEach, describe, expect, test } from 'vitest';
import type { State } from '../../src/engine/types.js';
import { demoState, storeWith } from './fixture.js';
import { KEYS, lineOf, renderApp, type Harness } from './render.js';

let h: Harness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

/** The fixture city plus a bead no template claims and a pool whose demand is a guess. */
function withOrphans(): State {
  const s = demoState();
  return {
    ...s,
    city: { ...s.city, agents: [...s.city.agents, { name: 'guesser', scale_check: 'echo 3' }] },
    beads: [
      ...s.beads,
      {
        id: 'ghost-1',
        title: 'ghost',
        status: 'open',
        issue_type: 'session',
        labels: ['gc:session'],
        metadata: { template: 'legacy/ghost', agent_name: 'ghost-1', state: 'asleep' },
        created_at: '2026-05-06T01:00:00Z',
      },
    ],
  };
}

describe('findings view', () => {
  test('8 opens it: actions before infos, with subject, template and message; the detail shows the whole message', async () => {
    h = renderApp(storeWith(withOrphans(), { columns: 160, rows: 40 }));
    await h.waitForFrame((x) => x.includes('HEALTH'));
    await h.press('8');
    const f = await h.waitForFrame((x) => x.includes('SEVERITY') && x.includes('MESSAGE'), 'the findings view');
    const rows = f.split('\n').filter((l) => /^[> ] (action|info) /.test(l));
    expect(rows.length).toBeGreaterThan(2);
    const firstInfo = rows.findIndex((l) => l.includes(' info '));
    expect(rows.slice(firstInfo).every((l) => l.includes(' info '))).toBe(true);
    expect(lineOf(f, 'ghost-1')).toMatch(/action\s+unresolved-template\s+ghost-1/);
    expect(lineOf(f, 'unknown-demand')).toMatch(/info\s+unknown-demand\s+–\s+guesser/);

    await h.press('/');
    await h.press(...'ghost'.split(''), KEYS.enter);
    const g = await h.waitForFrame((x) => x.includes('1–1 of 1'), 'the filtered findings');
    expect(g).toContain('template "legacy/ghost" is not configured');
  });

  test('a consistent city says so', async () => {
    const s = demoState();
    h = renderApp(storeWith({ ...s, beads: [] }, { columns: 120, rows: 30 }));
    await h.waitForFrame((x) => x.includes('HEALTH'));
    await h.press('8');
    await h.waitForFrame((x) => x.includes('No findings'), 'the empty message');
  });
});
