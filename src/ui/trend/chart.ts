// The trend view as lines of text: for repairs and findings a plot with a y axis (0 and the highest value), an x
// axis and its first and last time, then one sparkline per kind of drift that was ever above 0. Earlier console
// runs and this one are marked apart without colour too: the x axis is dotted under earlier runs, solid under
// this one, and `┴` marks where a run starts. Exactly `height` lines at most, none wider than `width`.
import { seriesOf, statsOf, TREND_FIGURES, type MetricsSample, type TrendFigure } from '../../store/metrics-sample.js';
import { BLOCKS, scaleLevel, sparkline, squeeze } from '../../store/output/sparkline.js';
import type { Tone } from '../theme.js';

export interface Piece {
  text: string;
  tone?: Tone;
}

export type ChartLine = Piece[];

export interface TrendInput {
  samples: readonly MetricsSample[];
  /** This console run's id: its samples are drawn apart from earlier runs'. */
  session: string;
  /** When this run started (TrendState.since), whatever `samples` holds; absent: its first sample among them. */
  since?: string | null;
  skipped: number;
  error: string | null;
  readOnly: boolean;
}

/** The plot's height per figure: what the view's height allows, within these bounds. */
const MIN_PLOT = 2;
const MAX_PLOT = 8;

/** `2026-05-06T02:13:00Z` → `05-06 02:13`. */
function shortTime(t: string): string {
  return `${t.slice(5, 10)} ${t.slice(11, 16)}`;
}

/**
 * The x axis' first and last time in `room` columns: with the date and to the minute, or to the second when the
 * minutes are the same; without the date when both do not fit so; the first alone when even that does not.
 */
function axisTimes(first: string, last: string, room: number): string[] {
  const second = shortTime(first) === shortTime(last) && first !== last;
  const at = (t: string, date: boolean) => `${date ? `${t.slice(5, 10)} ` : ''}${t.slice(11, second ? 19 : 16)}`;
  if (first === last) return [at(first, true)];
  for (const date of [true, false]) {
    const pair = [at(first, date), at(last, date)];
    if (pair[0].length + 1 + pair[1].length <= room) return pair;
  }
  return [at(first, false)];
}

/**
 * The samples each column of a plot `width` wide stands for, [from, to): as many columns per sample as fit when
 * there are fewer samples than columns (a few samples fill the plot instead of a sliver of it at its left), else
 * the slices squeeze() takes.
 */
function columnSlices(n: number, width: number): [number, number][] {
  if (n <= width) {
    const per = Math.floor(width / n);
    return Array.from({ length: n * per }, (_, c) => [Math.floor(c / per), Math.floor(c / per) + 1]);
  }
  return Array.from({ length: width }, (_, c) => [Math.floor((c * n) / width), Math.floor(((c + 1) * n) / width)]);
}

/** Runs of equal tone joined into one piece each. */
function joinPieces(chars: { ch: string; tone?: Tone }[]): ChartLine {
  const out: ChartLine = [];
  for (const { ch, tone } of chars) {
    const last = out[out.length - 1];
    if (last && last.tone === tone) last.text += ch;
    else out.push({ text: ch, tone });
  }
  return out;
}

function plot(input: TrendInput, figure: TrendFigure, width: number, rows: number): ChartLine[] {
  const { samples, session } = input;
  const values = seriesOf(samples, figure);
  const s = statsOf(values);
  const label = String(s.max).length;
  const cols = Math.max(1, width - label - 2);
  const slices = columnSlices(values.length, cols);
  // Squeezed: each column the highest of its samples (squeeze takes the same slices); stretched: its sample.
  const shown = values.length > cols ? squeeze(values, cols) : slices.map(([from]) => values[from]);
  const mine = slices.map(([, to]) => samples[to - 1].session === session);
  // A run's start is marked once: in the first column of the sample that starts it, or of the slice holding it.
  const starts = slices.map(([from, to], c) => {
    if (c > 0 && slices[c - 1][0] === from) return false;
    for (let i = Math.max(1, from); i < to; i++) if (samples[i].session !== samples[i - 1].session) return true;
    return false;
  });
  const tone = (c: number): Tone => (mine[c] ? 'accent' : 'dim');
  const out: ChartLine[] = [
    [{ text: `${figure} `, tone: 'accent' }, { text: `last ${s.last}  min ${s.min}  max ${s.max}  first ${s.first}` }],
  ];
  // Each row holds eight steps (▁ … █); a value above 0 is at least one step high, 0 leaves the column empty.
  const levels = shown.map((v) => scaleLevel(v, s.max, rows * 8));
  for (let r = rows - 1; r >= 0; r--) {
    const y = r === rows - 1 ? String(s.max) : r === 0 ? '0' : '';
    const chars = levels.map((lv, c) => {
      const inRow = Math.min(8, Math.max(0, lv - r * 8));
      return { ch: inRow > 0 ? BLOCKS[inRow - 1] : ' ', tone: tone(c) };
    });
    out.push([{ text: `${y.padStart(label)} ${y ? '┤' : '│'}`, tone: 'dim' }, ...joinPieces(chars)]);
  }
  const axis = shown.map((_, c) => ({ ch: starts[c] ? '┴' : mine[c] ? '─' : '┄', tone: tone(c) }));
  out.push([{ text: `${' '.repeat(label)} └`, tone: 'dim' }, ...joinPieces(axis)]);
  // The first time under the plot's first column, the last one ending under its last column when both fit there,
  // else right after the first; the date, then the last time, left out when they do not fit (cut only when even the
  // first time alone is wider than the plot).
  const [first, last] = axisTimes(samples[0].time, samples[samples.length - 1].time, cols);
  const gap = last === undefined ? 0 : Math.max(1, shown.length - first.length - last.length);
  out.push([{ text: `${' '.repeat(label + 2)}${first}${last === undefined ? '' : ' '.repeat(gap) + last}`.slice(0, width), tone: 'dim' }]);
  return out;
}

function summary(input: TrendInput): ChartLine {
  const { samples, session } = input;
  const mine = samples.filter((s) => s.session === session);
  const runs = new Set(samples.map((s) => s.session)).size;
  const parts = [
    `${samples.length} sample${samples.length === 1 ? '' : 's'}, ${runs} console run${runs === 1 ? '' : 's'} (times UTC)`,
    mine.length > 0 ? `this run since ${shortTime(input.since ?? mine[0].time)}: solid axis` : '',
    runs > (mine.length > 0 ? 1 : 0) ? 'earlier runs: dotted' : '',
  ].filter(Boolean);
  const notes: ChartLine = [];
  if (input.skipped > 0) notes.push({ text: ` · ${input.skipped} bad lines skipped`, tone: 'warn' });
  if (input.error) notes.push({ text: ` · history not kept: ${input.error}`, tone: 'error' });
  else if (input.readOnly) notes.push({ text: ' · read-only: this run is not written to the history', tone: 'dim' });
  return [{ text: parts.join(' · ') }, ...notes];
}

/** The trend view's lines for `width` × `height`. */
export function trendLines(input: TrendInput, width: number, height: number): ChartLine[] {
  if (height <= 0) return [];
  if (input.samples.length === 0) {
    return [
      [{ text: 'No samples yet: the figures are recorded on every refresh that changes them.' }],
      ...(input.error ? [[{ text: `history not kept: ${input.error}`, tone: 'error' as const }]] : []),
    ].slice(0, height);
  }
  const kinds = TREND_FIGURES.slice(2).filter((f) => statsOf(seriesOf(input.samples, f)).max > 0);
  // Two plots of `rows` rows plus their title, axis and time lines; then a heading and one line per kind.
  const forKinds = kinds.length > 0 ? kinds.length + 1 : 0;
  const rows = Math.max(MIN_PLOT, Math.min(MAX_PLOT, Math.floor((height - 1 - forKinds - 6) / 2)));
  const out: ChartLine[] = [summary(input), ...plot(input, 'repairs', width, rows), ...plot(input, 'findings', width, rows)];
  const room = height - out.length - 1;
  if (kinds.length > 0 && room > 0) {
    const name = Math.max(...kinds.slice(0, room).map((k) => k.length));
    out.push([{ text: 'by kind (each scaled to its own max)', tone: 'dim' }]);
    for (const k of kinds.slice(0, room)) {
      const values = seriesOf(input.samples, k);
      const s = statsOf(values);
      const tail = `  last ${s.last} max ${s.max}`;
      const spark = sparkline(squeeze(values, Math.max(1, width - name - 1 - tail.length)));
      out.push([{ text: `${k.padEnd(name)} ` }, { text: spark, tone: 'accent' }, { text: tail, tone: 'dim' }]);
    }
  }
  return out.slice(0, height);
}
