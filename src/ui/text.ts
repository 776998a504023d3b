// Everything that reaches the screen from the data goes through `clean`: bead fields can hold any
// bytes (escape sequences in an alias would otherwise move the cursor or retitle the terminal).
import { sanitize } from '../store/output/sanitize.js';

/** Sanitized, single-line text: control characters gone, newlines and tabs folded to spaces. */
export function clean(value: unknown): string {
  if (value === undefined || value === null) return '';
  const s = typeof value === 'string' ? value : String(value);
  return sanitize(s.replace(/[\r\n\t]+/g, ' '));
}

/** 12000 → "12 000": digit groups that stay readable in a narrow column. */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

/** A short, honest age: "now", "3 s", "4 min", "2 h", "3 d". */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 1) return 'now';
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h`;
  return `${Math.floor(h / 24)} d`;
}

export function cap(v: number | null | undefined): string {
  return v === null || v === undefined ? '∞' : String(v);
}

/** The range shown in a list title: "41–80 of 12 000", or "0 of 0". */
export function rangeLabel(top: number, visible: number, total: number): string {
  if (total === 0) return '0 of 0';
  const last = Math.min(total, top + visible);
  return `${groupDigits(top + 1)}–${groupDigits(last)} of ${groupDigits(total)}`;
}

/** A value in quotes, sanitized (escapes shown once: `\e`, not `\\e`); null is "(absent)". */
export function quoted(v: string | null | undefined): string {
  return v === null || v === undefined ? '(absent)' : `"${clean(v).replace(/"/g, '\\"')}"`;
}
