// Two lines: where the data comes from and how old it is, then the health figures of the plan. Nothing is
// cut before it has been shortened: the input's path gives way to the age and the badges, and the figures
// take shorter labels (then drop the zeros, then shorten the numbers) before any is cut; the counts of
// repairs and findings always stay.
import { Box, Text } from 'ink';
import { useCallback } from 'react';
import path from 'node:path';
import type { Metrics } from '../../engine/types.js';
import { shownSource } from '../../store/fs/paths.js';
import { seriesOf, type MetricsSample } from '../../store/metrics-sample.js';
import { sparkline } from '../../store/output/sparkline.js';
import { useApp } from '../hooks/use-app-store.js';
import { useClockText } from '../hooks/use-clock-text.js';
import { cellsIn, clean, formatAge, groupDigits, truncateEnd, truncateMiddle } from '../text.js';
import type { Theme, Tone } from '../theme.js';

/** Each figure: its key, its label, a shorter one, the shortest. */
const FIGURES: [keyof Metrics, string, string, string][] = [
  ['mismatched_aliases', 'mismatched', 'mism', 'mis'],
  ['alias_conflicts', 'conflicts', 'confl', 'con'],
  ['duplicate_slots', 'dups', 'dups', 'dup'],
  ['cross_template_assignments', 'x-tmpl', 'x-tmpl', 'xt'],
  ['orphaned_work', 'orphaned', 'orph', 'orp'],
  ['out_of_bounds_identities', 'oob', 'oob', 'oob'],
  ['stale_creates', 'stale', 'stale', 'stl'],
  ['deferred_rollbacks', 'deferred', 'defer', 'def'],
  ['unresolved_templates', 'unresolved', 'unres', 'unr'],
];

/** 12 345 → "12k", 1 234 567 → "1.2M": a count in at most five columns. */
export function shortCount(n: number): string {
  if (n < 10_000) return groupDigits(n);
  if (n < 1_000_000) return `${Math.floor(n / 1000)}k`;
  const m = n / 1_000_000;
  return `${m < 10 ? Math.floor(m * 10) / 10 : Math.floor(m)}M`;
}

export interface Segment {
  text: string;
  tone?: Tone;
  bold?: boolean;
}

const len = (segs: Segment[]) => segs.reduce((n, s) => n + cellsIn(s.text), 0);

/**
 * The figures line for `width` columns: the most complete form that fits, the counts of repairs and findings
 * last and never cut (when nothing fits, the figures are cut before them).
 */
export function figureLine(
  metrics: Metrics,
  repairs: number,
  findings: number,
  width: number,
  fresh = 0,
  sparks: { repairs: string; findings: string } | null = null,
): { figures: Segment[]; counts: Segment[] } {
  // [label level, drop zeros, separator, short numbers, counts form]
  const levels: [1 | 2 | 3, boolean, string, boolean, 0 | 1 | 2][] = [
    [1, false, '  ', false, 0],
    [1, false, ' ', false, 0],
    [1, true, '  ', false, 0],
    [2, true, '  ', false, 0],
    [2, true, ' ', false, 1],
    [3, true, ' ', false, 1],
    [3, true, ' ', true, 2],
  ];
  // Each count's recent trend (the metrics history), when the caller found room for it.
  const sparkOf = (line: string | undefined): Segment[] => (line ? [{ text: ` ${line}`, tone: 'accent' }] : []);
  const [rSpark, fSpark] = [sparkOf(sparks?.repairs), sparkOf(sparks?.findings)];
  let best: { figures: Segment[]; counts: Segment[] } | null = null;
  for (const [label, dropZeros, sep, short, form] of levels) {
    const num = short ? shortCount : groupDigits;
    const figures: Segment[] = FIGURES.filter(([k]) => !dropZeros || metrics[k] > 0).map(([k, ...labels]) => ({
      text: `${labels[label - 1]} ${num(metrics[k])}${sep}`,
      tone: metrics[k] > 0 ? (k === 'out_of_bounds_identities' ? 'warn' : 'error') : 'dim',
    }));
    // Repairs a refresh added since the repairs view was last opened: "+3 new".
    const mark: Segment[] = fresh > 0 ? [{ text: ` +${num(fresh)}${form === 2 ? '' : ' new'}`, tone: 'changed', bold: true }] : [];
    // The bar parts the figures from the counts: with no figure left (every one 0, dropped), nothing to part.
    const bar = figures.length > 0 ? '│ ' : '';
    const counts: Segment[] =
      form === 0
        ? [{ text: `${bar}repairs ${num(repairs)}` }, ...rSpark, ...mark, { text: `  findings ${num(findings)}` }, ...fSpark]
        : form === 1
          ? [{ text: `${bar}repairs ${num(repairs)}` }, ...rSpark, ...mark, { text: ` findings ${num(findings)}` }, ...fSpark]
          : [{ text: `${bar}rep ${num(repairs)}` }, ...rSpark, ...mark, { text: ` fnd ${num(findings)}` }, ...fSpark];
    best = { figures, counts };
    if (len(figures) + len(counts) <= width) return best;
  }
  return best!;
}

/** The widest sparkline the header gives a count. */
const MAX_HEADER_SPARK = 16;

/**
 * figureLine with a sparkline of the recent samples after each count, in the room the line leaves: the
 * sparklines go first, before any figure is shortened.
 */
export function figureLineWithTrend(
  metrics: Metrics,
  repairs: number,
  findings: number,
  width: number,
  fresh: number,
  samples: readonly MetricsSample[],
): { figures: Segment[]; counts: Segment[] } {
  const line = figureLine(metrics, repairs, findings, width, fresh);
  const room = Math.floor((width - len(line.figures) - len(line.counts) - 2) / 2);
  const n = Math.min(MAX_HEADER_SPARK, room, samples.length);
  if (n < 4) return line;
  const recent = samples.slice(-n);
  const sparks = { repairs: sparkline(seriesOf(recent, 'repairs')), findings: sparkline(seriesOf(recent, 'findings')) };
  return figureLine(metrics, repairs, findings, width, fresh, sparks);
}

/**
 * The age of the data as the header says it: "just now" for the first 10 s, then in steps of 10 s up to a
 * minute (and of formatAge's units after), so that an idle console redraws its frame only when this changes.
 */
export function ageText(now: number, loadedAt: number | null, error: boolean): string {
  if (loadedAt === null) return 'loading…';
  const ms = now - loadedAt;
  const age = ms < 10_000 ? 'now' : ms < 60_000 ? `${Math.floor(ms / 10_000) * 10} s` : formatAge(ms);
  const said = age === 'now' ? 'just now' : `${age} ago`;
  return error ? `last good read ${said}` : `read ${said}`;
}

/** The badges after the age: read-only, paused (and updates waiting); `short` for a narrow terminal. */
export function headerBadges(readOnly: boolean, paused: boolean, waiting: boolean, short: boolean): string {
  const ro = readOnly ? (short ? ' [RO]' : ' [READ-ONLY]') : '';
  const p = paused ? (waiting ? (short ? ' [PAUSED+]' : ' [PAUSED · updates waiting]') : ' [PAUSED]') : '';
  return ro + p;
}

export function Header({ theme, width }: { theme: Theme; width: number }) {
  const source = useApp((s) => s.source);
  // Until the first read's beads are here, its first look says the same (glance.ts).
  const city = useApp((s) => (s.current ? (s.current.state.city.workspace?.name ?? null) : (s.glance?.city ?? null)));
  const readOnly = useApp((s) => s.readOnly);
  const paused = useApp((s) => s.ui.paused);
  const waiting = useApp((s) => s.pending !== null && s.pendingNew);
  const metrics = useApp((s) => s.current?.plan.metrics ?? s.glance?.metrics ?? null);
  const repairs = useApp((s) => s.current?.plan.repairs.length ?? s.glance?.repairs ?? 0);
  const findings = useApp((s) => s.current?.plan.findings.length ?? s.glance?.findings ?? 0);
  const fresh = useApp((s) => s.ui.fresh.length);
  const samples = useApp((s) => s.trend.samples);
  const loadedAt = useApp((s) => s.current?.loadedAt ?? s.glance?.at ?? null);
  const error = useApp((s) => s.error !== null);
  const edition = useApp((s) => (s.current ? (s.current.rules?.edition ?? null) : (s.glance?.rules?.edition ?? null)));
  const where = clean(source ? shownSource(source) : '');
  const age = useClockText(useCallback((now: number) => ageText(now, loadedAt, error), [loadedAt, error]));
  // The badges (the mode: read-only, paused) always stay, as k9s keeps its mode: in their short form when the
  // line is narrow, then the rule edition goes, then the name narrows (to 3 cells), then the age goes. The path
  // gets what is left (cut in the middle: its tail names the file).
  const fullName = clean(city || (source?.kind === 'city' ? path.basename(source.dir) : '') || 'city');
  const nameCells = Math.min(cellsIn(fullName), Math.max(8, width - 40));
  const ruleText = edition ? `rules ${edition} ` : '';
  // Columns of all but the path: `gc-tui `, the name (n cells) and its blank, the edition, the age and the badges.
  const need = (n: number, r: string, a: string, b: string) => 'gc-tui '.length + n + 1 + r.length + a.length + b.length;
  const long = headerBadges(readOnly, paused, waiting, false);
  const badges = need(nameCells, ruleText, age, long) <= width ? long : headerBadges(readOnly, paused, waiting, true);
  // The rule edition the plan follows (--rules): the age's neighbour, before the path is given room.
  const rules = need(nameCells, ruleText, age, badges) <= width ? ruleText : '';
  const shownAge = need(Math.min(nameCells, 3), rules, age, badges) <= width ? age : '';
  const name = truncateMiddle(fullName, Math.max(1, Math.min(nameCells, width - need(0, rules, shownAge, badges))));
  const fixed = need(cellsIn(name), rules, shownAge, '');
  const room = width - fixed - badges.length - 1;
  const shownWhere = room >= 12 ? truncateMiddle(where, room) : '';
  const line2 = metrics ? figureLineWithTrend(metrics, repairs, findings, width, fresh, samples) : null;
  const figuresWidth = line2 ? Math.max(0, width - len(line2.counts)) : 0;
  return (
    <Box flexDirection="column" height={2} width={width} flexShrink={0}>
      <Box height={1} overflow="hidden">
        <Text wrap="truncate-end">
          <Text bold color={theme.tone('accent')}>
            gc-tui
          </Text>
          <Text> {name} </Text>
          {shownWhere ? <Text color={theme.tone('dim')}>{shownWhere} </Text> : null}
          {rules ? <Text color={theme.tone('dim')}>{rules}</Text> : null}
          <Text color={error ? theme.tone('error') : theme.tone('dim')}>{shownAge}</Text>
          {badges ? (
            <Text bold color={theme.tone('warn')}>
              {badges}
            </Text>
          ) : null}
        </Text>
      </Box>
      {line2 ? (
        <Box height={1} overflow="hidden">
          <Box flexShrink={0} width={Math.min(figuresWidth, len(line2.figures))} overflow="hidden">
            <Text wrap="truncate-end">
              {line2.figures.length > 0 && len(line2.figures) > figuresWidth
                ? truncateEnd(line2.figures.map((s) => s.text).join(''), figuresWidth)
                : line2.figures.map((s, i) => (
                    <Text key={i} color={theme.tone(s.tone ?? 'dim')}>
                      {s.text}
                    </Text>
                  ))}
            </Text>
          </Box>
          <Box flexShrink={0} width={Math.min(width, len(line2.counts))} overflow="hidden">
            <Text wrap="truncate-end">
              {line2.counts.map((s, i) => (
                <Text key={i} bold={s.bold} color={s.tone ? theme.tone(s.tone) : undefined}>
                  {s.text}
                </Text>
              ))}
            </Text>
          </Box>
        </Box>
      ) : (
        <Box height={1} />
      )}
    </Box>
  );
}
