// At 80 columns a view's own keys fill the footer; it must still show a way on (issue 11: "review with only the
// keys in the footer"): `tab view` in every view, `esc back` on the card, and `? help` and quit everywhere.
import { afterEach, expect, test } from 'vitest';
import { VIEW_IDS } from '../../src/console/ui-state.js';
import { demoCity, storeWith } from './fixture.js';
import { KEYS, renderApp, waitForView, type Harness } from './render.js';
import { footer } from '../support/frame-lines.js';

let h: Harness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

test('at 80×24 every view’s footer offers tab view, help and quit; the card’s offers esc back', async () => {
  const app = (h = renderApp(storeWith(demoCity(), { columns: 80, rows: 24 })));
  for (const [i, view] of VIEW_IDS.entries()) {
    await app.press(String(i + 1));
    const f = await waitForView(app, view);
    for (const hint of ['tab view', '? help', 'q quit']) expect(footer(f), `${view}: ${hint}`).toContain(hint);
  }
  await app.press('6');
  await waitForView(app, 'repairs');
  await app.press(KEYS.enter);
  const card = await app.waitForFrame((x) => x.includes(' Repair card — '), 'the card');
  expect(footer(card)).toMatch(/^esc back {2}/);
  expect(footer(card)).toContain('a approve');
});
