// The metrics history: JSON Lines beside the audit log (`<store>.metrics.jsonl`, `<city>/.gc/gc-tui/metrics.jsonl`),
// one sample of the figures per console refresh that changed them (metrics-sample.ts), so an operator sees
// drift grow or shrink across refreshes and across runs of the console.
//
// It is a picture, not a record: it is bounded (past `maxBytes` the oldest half is dropped, by an atomic
// rewrite), and a line lost to two consoles trimming and appending at once costs one point of the picture,
// never a write of the data. It is appended as the audit log is (one O_APPEND write, never through a link,
// owner and mode of the data file), and a line that is not a sample is skipped and counted, never fatal.
import { statSync } from 'node:fs';
import { writeFileAtomic } from './fs/atomic-file.js';
import { appendLines } from './fs/append.js';
import { dataPathOf, ensureOwnDir, metricsPathOf } from './fs/paths.js';
import { readFileTail } from './fs/read-bounded.js';
import { escapeJsonText } from './formats/json-text.js';
import { parseSampleLine, type MetricsSample } from './metrics-sample.js';
import { InputError, type Source } from './types.js';

/** Past this size the file is cut to its newest half: about 2 000 samples, weeks of a quiet city. */
export const MAX_HISTORY_BYTES = 512 * 1024;

export interface MetricsHistory {
  /** Oldest first, as in the file. */
  samples: MetricsSample[];
  /** Lines that were not samples (torn, edited): skipped. */
  skipped: number;
  /** Why the file could not be read at all (a link, a FIFO): nothing was read. */
  error: string | null;
}

function describe(e: unknown): string {
  return e instanceof InputError ? e.detail : e instanceof Error ? e.message : String(e);
}

/**
 * The samples of the history (a missing file has none). Only the last `maxBytes` are read, so a file some
 * other program grew is still read in bounded time; the first, partial line of that tail is not counted.
 */
export function readMetricsHistory(source: Source, opts: { maxBytes?: number } = {}): MetricsHistory {
  const maxBytes = opts.maxBytes ?? MAX_HISTORY_BYTES;
  let text: string | null;
  try {
    text = readFileTail(metricsPathOf(source), maxBytes + 1);
  } catch (e) {
    return { samples: [], skipped: 0, error: describe(e) };
  }
  if (text === null) return { samples: [], skipped: 0, error: null };
  const lines = text.split('\n');
  // The tail starts mid-line unless it is the whole file: that piece is not a line of its own.
  if (Buffer.byteLength(text) > maxBytes) lines.shift();
  const samples: MetricsSample[] = [];
  let skipped = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const s = parseSampleLine(line);
    if (s) samples.push(s);
    else skipped++;
  }
  return { samples, skipped, error: null };
}

/** The JSON Lines of `samples`, with the controls a session id could hold escaped as in the audit log. */
function historyText(samples: readonly MetricsSample[]): string {
  return samples.map((s) => escapeJsonText(JSON.stringify(s)) + '\n').join('');
}

/**
 * Append samples (one write); when the file has grown past `maxBytes`, keep its newest half (whole lines). Throws
 * an InputError naming the file: a link, not a regular file, or the write failed.
 */
export function appendMetrics(source: Source, samples: readonly MetricsSample[], opts: { maxBytes?: number } = {}): void {
  if (samples.length === 0) return;
  const file = metricsPathOf(source);
  const maxBytes = opts.maxBytes ?? MAX_HISTORY_BYTES;
  ensureOwnDir(source);
  appendLines(file, historyText(samples), { like: dataPathOf(source) });
  if (statSync(file).size > maxBytes) trimHistory(file, Math.floor(maxBytes / 2));
}

/** Rewrite `file` (atomically, keeping its owner and mode) with its lines that fit in its last `keepBytes`. */
function trimHistory(file: string, keepBytes: number): void {
  const tail = readFileTail(file, keepBytes) ?? '';
  const start = tail.indexOf('\n');
  writeFileAtomic(file, start < 0 ? '' : tail.slice(start + 1));
}
