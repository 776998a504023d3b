// The journal and the log of one write share its lines, made once (audit.ts): the pending record is byte for byte
// the JSON of the record with its entries, escaped as every file gc-tui writes, and the log gets the same lines, for
// entries holding every kind of character a reason or a value can carry.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appendAudit, sha256Of, writePendingAudit } from '../../src/store/audit.js';
import { pendingAuditPath } from '../../src/store/fs/paths.js';
import { escapeJsonText } from '../../src/store/formats/json-text.js';
import { auditPathOf, dataPathOf } from '../../src/store/fs/paths.js';
import type { AuditEntry } from '../../src/store/types.js';
import { PROPERTY_RUNS } from '../support/runs.js';
import { storeWithDrift } from './hardening-fixtures.js';

// Line breaks, DEL, C1, bidi and line separators, quotes, backslashes, non-ASCII and a lone surrogate.
const tricky = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom('\n', '\r\n', '\x7f', '\x85', '\u2028', '\u202e', '\u2066', '"', '\\', 'é', '😀', '\ud800', ',', ']}'),
);
const text = fc.array(tricky, { maxLength: 4 }).map((parts) => parts.join(''));
const change = fc.record({ field: text, before: fc.option(text), after: fc.option(text) });
const entry: fc.Arbitrary<AuditEntry> = fc.record(
  {
    time: fc.constant('2026-05-06T03:00:00Z'),
    operator: text,
    action: fc.constant('apply' as const),
    batch: text,
    repair: text,
    kind: text,
    beadId: text,
    changes: fc.array(change, { maxLength: 3 }),
    written: fc.array(change, { maxLength: 2 }),
    reason: text,
    note: text,
    result: fc.constantFrom('applied' as const, 'stale' as const),
  },
  { requiredKeys: ['time', 'operator', 'action', 'repair', 'kind', 'beadId', 'changes', 'reason', 'note', 'result'] },
);

describe('the audit lines of a write, made once for its journal and its log', () => {
  it('the pending record is the escaped JSON of the record with its entries, and the log gets the same lines', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 5 }), fc.constantFrom('tmp', 'a "quoted" \u202e name'), (entries, tmpName) => {
        const { source } = storeWithDrift();
        const bytes = 'new bytes';
        writePendingAudit(source, tmpName, bytes, entries);
        const record = { gcTuiPendingAudit: 1, data: dataPathOf(source), tmp: tmpName, after: sha256Of(bytes), entries };
        expect(readFileSync(pendingAuditPath(source), 'utf8')).toBe(escapeJsonText(JSON.stringify(record)) + '\n');
        appendAudit(source, entries);
        const lines = entries.map((e) => escapeJsonText(JSON.stringify(e)) + '\n').join('');
        expect(lines === '' ? null : readFileSync(auditPathOf(source), 'utf8')).toBe(lines === '' ? null : lines);
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });
});
