// The console reads the audit log after every refresh and every write of its own (watch.ts refreshAudit), and the log
// only grows: lines are appended, never changed. Read again, only the bytes appended since the last read are read and
// parsed; the file read before is known by its device and inode, and by its size never going down and the byte before
// where the last read stopped still ending a line. A log replaced (renamed over, another inode), cut or rewritten
// shorter is read whole again.
// A last line with no line break yet may be one a writer is still appending: it is left out at the read that finds it.
// The next read that finds the file just as it was (same size, same modification time: its writer wrote nothing
// since) takes it as it will stay, torn by a crash, and reads it as the CLI's readAudit does: an unreadable line (or an
// entry, when it is whole JSON that only lacks its line break). An append is one write, which moves the file's size as
// it goes: a writer still at it between the two reads would have changed the file. No clock is needed.
import { closeSync } from 'node:fs';
import { auditLogOf, type AuditLog } from './audit.js';
import { auditPathOf } from './fs/paths.js';
import { bytesAsText, bytesAt, openForRead, refuseOver } from './fs/read-bounded.js';
import { requireRegular } from './fs/safe-file.js';
import type { Source } from './types.js';

/** The file as a read found it with a last line not ended: a later read that finds it so knows nobody wrote since. */
interface TornSeen {
  size: number;
  mtimeMs: number;
}

/** What a read of the log took in: its entries, and where in which file it stopped. */
export interface AuditTail {
  /** What the console shows: `read`, and the torn last line once it stayed torn (see the top of this file). */
  log: AuditLog;
  /** The lines up to `offset`: what the next read goes on from. */
  read: AuditLog;
  dev: number;
  ino: number;
  /** Bytes read: up to and with the last line break. */
  offset: number;
  /** Lines read (line breaks up to `offset`): the number an unreadable line after them is counted from. */
  lines: number;
  /** The file when this read found bytes after `offset`; null when it ended there. */
  torn: TornSeen | null;
}

const NONE: AuditTail = { log: [], read: [], dev: -1, ino: -1, offset: 0, lines: 0, torn: null };

const sameFile = (a: TornSeen | null, b: TornSeen) => a !== null && a.size === b.size && a.mtimeMs === b.mtimeMs;

/** The log as it is now, `prev` being what the last read took in (null: none yet); `prev` itself when nothing changed. */
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
    const torn = end < bytes.length ? { size: st.size, mtimeMs: st.mtimeMs } : null;
    if (same && end === 0) {
      if (torn === null) return prev.torn === null ? prev : { ...prev, log: prev.read, torn };
      if (!sameFile(prev.torn, torn)) return { ...prev, log: prev.read, torn };
      // Torn at the last read too, and nothing written since: read as it stays (once).
      return prev.log !== prev.read ? prev : { ...prev, log: auditLogOf(bytesAsText(file, bytes), prev.lines, prev.read) };
    }
    const text = bytesAsText(file, bytes.subarray(0, end));
    const base = same ? prev : { ...NONE, dev: st.dev, ino: st.ino };
    let breaks = 0;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) breaks++;
    // The text ends in its last line break: the empty piece after it is no line.
    const read = end === 0 ? base.read : auditLogOf(text.slice(0, -1), base.lines, base.read);
    return { log: read, read, dev: st.dev, ino: st.ino, offset: from + end, lines: base.lines + breaks, torn };
  } finally {
    closeSync(fd);
  }
}
