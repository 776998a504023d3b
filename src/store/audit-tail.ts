// The console reads the audit log after every refresh and every write of its own (watch.ts refreshAudit), and the log
// only grows: lines are appended, never changed. Read again, only the bytes appended since the last read are read and
// parsed; the file read before is known by its device and inode, and by its size never going down and the byte before
// where the last read stopped still ending a line. A log replaced (renamed over, another inode), cut or rewritten
// shorter is read whole again. A last line still being appended (no line break yet) is left for the next read.
import { closeSync } from 'node:fs';
import { auditLogOf, type AuditLog } from './audit.js';
import { auditPathOf } from './fs/paths.js';
import { bytesAsText, bytesAt, openForRead, refuseOver } from './fs/read-bounded.js';
import { requireRegular } from './fs/safe-file.js';
import type { Source } from './types.js';

/** What a read of the log took in: its entries, and where in which file it stopped. */
export interface AuditTail {
  log: AuditLog;
  dev: number;
  ino: number;
  /** Bytes read: up to and with the last line break. */
  offset: number;
  /** Lines read (line breaks up to `offset`): the number an unreadable line after them is counted from. */
  lines: number;
}

const NONE: AuditTail = { log: [], dev: -1, ino: -1, offset: 0, lines: 0 };

/** The log as it is now, `prev` being what the last read took in (null: none yet); `prev` itself when nothing was appended. */
export function readAuditSince(source: Source, prev: AuditTail | null): AuditTail {
  const file = auditPathOf(source);
  const fd = openForRead(file, true, true);
  if (fd === null) return prev?.offset === 0 && prev.log.length === 0 ? prev : NONE;
  try {
    const st = requireRegular(fd, file);
    refuseOver(file, st.size);
    // Read on from where the last read stopped only in the same file, grown or as it was, the line before still ended.
    const same =
      prev !== null &&
      prev.dev === st.dev &&
      prev.ino === st.ino &&
      st.size >= prev.offset &&
      (prev.offset === 0 || bytesAt(fd, file, prev.offset - 1, prev.offset)[0] === 0x0a);
    const from = same ? prev.offset : 0;
    const bytes = bytesAt(fd, file, from, st.size);
    const end = bytes.lastIndexOf(0x0a) + 1;
    if (same && end === 0) return prev;
    const text = bytesAsText(file, bytes.subarray(0, end));
    const base = same ? prev : { ...NONE, dev: st.dev, ino: st.ino };
    let breaks = 0;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) breaks++;
    // The text ends in its last line break: the empty piece after it is no line.
    const log = end === 0 ? base.log : auditLogOf(text.slice(0, -1), base.lines, base.log);
    return { log, dev: st.dev, ino: st.ino, offset: from + end, lines: base.lines + breaks };
  } finally {
    closeSync(fd);
  }
}
