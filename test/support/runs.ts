// How hard the property tests search. `npm test` runs a short search on every change; `npm run test:long` (and
// CI after `npm test`) sets GC_TUI_PROPERTY_RUNS for the long one (300 in CI, 2000 by default), and a
// deliberate hunt sets more (GC_TUI_PROPERTY_RUNS=5000).
const set = Number(process.env.GC_TUI_PROPERTY_RUNS);

/** Cases per property: GC_TUI_PROPERTY_RUNS, or 40 in `npm test`. */
export const PROPERTY_RUNS = set > 0 ? set : 40;

/** True in a long search: the tests that only add more of the same (more large generated stores) run then. */
export const LONG_SEARCH = set > 0;
