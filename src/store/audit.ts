// The audit log: append-only JSON Lines beside the input, one line per applied, stale or recorded action.
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { describeFsError, readTextIfExists } from './fs/fs-errors.js';
import { auditPathOf } from './fs/paths.js';
import { InputError, type AuditEntry, type Source } from './types.js';

/** A fresh id for the `batch` key shared by the audit lines of one bulk approval (ApplyOptions.batch). */
export function newBatchId(): string {
  return randomUUID();
}

/** Append entries in one write (O_APPEND), so concurrent writers never interleave inside a line. */
export function appendAudit(source: Source, entries: AuditEntry[]): void {
  if (entries.length === 0) return;
  const file = auditPathOf(source);
  const text = entries.map((e) => JSON.stringify(e) + '\n').join('');
  try {
    mkdirSync(dirname(file), { recursive: true });
    appendFileSync(file, text, { mode: 0o644 });
  } catch (e) {
    throw new InputError(file, null, `cannot append to the audit log: ${describeFsError(e)}`);
  }
}

/** Every audit entry so far (a missing log is empty; a torn last line is skipped). */
export function readAudit(source: Source): AuditEntry[] {
  const file = auditPathOf(source);
  const text = readTextIfExists(file);
  if (text === null) return [];
  const out: AuditEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as AuditEntry);
    } catch {
      // a line torn by a crash mid-append: keep reading the rest
    }
  }
  return out;
}
