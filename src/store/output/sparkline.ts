// Counts as a picture: one block character per value (▁ … █), for the console's header and trend view and the
// md report alike. The scale starts at 0, not at the lowest value: a drift count is read against none at all,
// and any count above 0 is drawn at least one step above the floor, so "a little" never looks like "none".

export const BLOCKS = '▁▂▃▄▅▆▇█';

/** `value` on a scale of `steps` steps (0 … steps) whose top is `max`: 0 only for 0, `steps` only for max. */
export function scaleLevel(value: number, max: number, steps: number): number {
  if (value <= 0 || max <= 0) return 0;
  return Math.min(steps, Math.max(1, Math.round((value / max) * steps)));
}

/** One character per value, scaled to the largest value shown (or to `max` when given). */
export function sparkline(values: readonly number[], max = Math.max(0, ...values)): string {
  return values.map((v) => BLOCKS[scaleLevel(v, max, BLOCKS.length - 1)]).join('');
}

/**
 * `values` in at most `width` columns: each column the largest value of its slice of the series, so a peak is
 * never averaged away. Shorter series are returned as they are.
 */
export function squeeze(values: readonly number[], width: number): number[] {
  if (values.length <= width) return [...values];
  if (width <= 0) return [];
  const out: number[] = [];
  for (let c = 0; c < width; c++) {
    const from = Math.floor((c * values.length) / width);
    const to = Math.floor(((c + 1) * values.length) / width);
    let m = values[from];
    for (let i = from + 1; i < to; i++) m = Math.max(m, values[i]);
    out.push(m);
  }
  return out;
}
