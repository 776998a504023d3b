// A view model is a function of what it reads (viewInput): a change a view does not read leaves its input,
// and so its memoized model, as it was.
import { describe, expect, test } from 'vitest';
import { shallow } from 'zustand/shallow';
import { VIEW_IDS } from '../../src/console/ui-state.js';
import { viewInput, viewModel, viewModelOf } from '../../src/ui/views/registry.js';
import { demoState, storeWith } from './fixture.js';

describe('viewInput', () => {
  test('only the slots view reads the pools cursor, only the repairs view the outcomes, only the audit view the log', () => {
    const store = storeWith(demoState());
    const before = Object.fromEntries(VIEW_IDS.map((v) => [v, viewInput(store.getState(), v)]));
    const s = store.getState();
    s.setCursor('pools', { key: 'backend/worker', index: 1, top: 0 });
    s.setOutcome('x', { result: 'rejected', text: '', at: 0 });
    s.setAudit([]);
    const changed = VIEW_IDS.filter((v) => !shallow(before[v], viewInput(store.getState(), v)));
    expect(changed.sort()).toEqual(['audit', 'pools', 'repairs', 'slots']);
  });

  test('the model of an input is the model of the state it came from', () => {
    const s = storeWith(demoState()).getState();
    for (const v of VIEW_IDS) {
      const a = viewModelOf(viewInput(s, v));
      const b = viewModel(s, v);
      expect(a?.rows).toBe(b?.rows);
      expect(a?.index).toBe(b?.index);
    }
  });
});
