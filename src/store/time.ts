// Clock values that cross the command line or land in files.

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** An RFC 3339 timestamp as a Date, or null when it is not one (including impossible dates like Feb 30). */
export function parseRfc3339(text: string): Date | null {
  const m = RFC3339.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 60) return null;
  // Date.UTC rolls Feb 30 over into March; a round trip catches it.
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (probe.getUTCDate() !== d) return null;
  const off = m[8].toUpperCase() === 'Z' ? '+00:00' : m[8];
  const fixed = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${Math.min(s, 59).toString().padStart(2, '0')}${m[7] ?? ''}${off}`;
  const t = new Date(fixed);
  return Number.isNaN(t.getTime()) ? null : t;
}

/** `YYYY-MM-DDTHH:MM:SSZ`, the form the contract uses for `updated_at` and audit times. */
export function formatZ(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
