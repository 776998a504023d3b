// Two lines: where the data comes from and how old it is, then the health figures of the plan.
import { Box, Text } from 'ink';
import path from 'node:path';
import type { Metrics } from '../../engine/types.js';
import { describeSource } from '../../store/fs/paths.js';
import { useApp } from '../hooks/use-app-store.js';
import { useNow } from '../hooks/use-now.js';
import { clean, formatAge, groupDigits } from '../text.js';
import type { Theme } from '../theme.js';

const FIGURES: [keyof Metrics, string][] = [
  ['mismatched_aliases', 'mismatched'],
  ['alias_conflicts', 'conflicts'],
  ['duplicate_slots', 'dups'],
  ['cross_template_assignments', 'x-tmpl'],
  ['orphaned_work', 'orphaned'],
  ['out_of_bounds_identities', 'oob'],
  ['stale_creates', 'stale'],
  ['deferred_rollbacks', 'deferred'],
  ['unresolved_templates', 'unresolved'],
];

function Age({ theme }: { theme: Theme }) {
  const now = useNow(1000);
  const loadedAt = useApp((s) => s.current?.loadedAt ?? null);
  const error = useApp((s) => s.error !== null);
  if (loadedAt === null) return <Text color={theme.tone('dim')}>loading…</Text>;
  const age = formatAge(now - loadedAt);
  return (
    <Text color={error ? theme.tone('error') : theme.tone('dim')}>
      {error ? `last good read ${age} ago` : `read ${age === 'now' ? 'just now' : `${age} ago`}`}
    </Text>
  );
}

export function Header({ theme, width }: { theme: Theme; width: number }) {
  const source = useApp((s) => s.source);
  const city = useApp((s) => s.current?.state.city.workspace?.name ?? null);
  const readOnly = useApp((s) => s.readOnly);
  const paused = useApp((s) => s.ui.paused);
  const waiting = useApp((s) => s.pending !== null);
  const metrics = useApp((s) => s.current?.plan.metrics ?? null);
  const repairs = useApp((s) => s.current?.plan.repairs.length ?? 0);
  const findings = useApp((s) => s.current?.plan.findings.length ?? 0);
  const where = source ? describeSource(source) : '';
  const name = clean(city || (source?.kind === 'city' ? path.basename(source.dir) : '') || 'city');
  return (
    <Box flexDirection="column" height={2} width={width} flexShrink={0}>
      <Box height={1} overflow="hidden">
        <Text wrap="truncate-end">
          <Text bold color={theme.tone('accent')}>
            gc-tui
          </Text>
          <Text> {name} </Text>
          <Text color={theme.tone('dim')}>{clean(where)} </Text>
          <Age theme={theme} />
          {readOnly ? (
            <Text bold color={theme.tone('warn')}>
              {' '}
              [READ-ONLY]
            </Text>
          ) : null}
          {paused ? (
            <Text bold color={theme.tone('warn')}>
              {waiting ? ' [PAUSED · updates waiting]' : ' [PAUSED]'}
            </Text>
          ) : null}
        </Text>
      </Box>
      <Box height={1} overflow="hidden">
        <Text wrap="truncate-end">
          {metrics
            ? FIGURES.map(([k, label]) => (
                <Text key={k} color={metrics[k] > 0 ? theme.tone(k === 'out_of_bounds_identities' ? 'warn' : 'error') : theme.tone('dim')}>
                  {`${label} ${groupDigits(metrics[k])}  `}
                </Text>
              ))
            : null}
          {metrics ? <Text>{`│ repairs ${groupDigits(repairs)}  findings ${groupDigits(findings)}`}</Text> : null}
        </Text>
      </Box>
    </Box>
  );
}
