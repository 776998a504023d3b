// `apply --emit-script FILE`: the reviewed repairs as a bash script of Gas City's own commands (calls.ts), for an
// operator to read and run where gc is; gc-tui applies nothing. Every argument is quoted: metadata can hold
// quotes, newlines and escape sequences, and the script file itself never holds a raw control character (they
// are written as `$'\xHH'` bytes), so `cat` of it cannot drive the terminal. The script judges each answer as
// the writer does: a conflict (or `skipped`) makes that repair stale and skips its later calls; an error stops it.
import type { Edition } from '../../engine/index.js';
import { CONTROL_CLASS, sanitize } from '../output/sanitize.js';
import type { GcCall, RepairCalls } from './calls.js';

// The characters sanitize() makes visible.
const CONTROL = new RegExp(`[${CONTROL_CLASS}]`, 'u');
const PLAIN = /^[A-Za-z0-9_./:=@%+,-]+$/;

/**
 * One shell word that stands for exactly `s`: single quotes, or `$'…'` with the UTF-8 bytes of control
 * characters as `\xHH` when there are any (the same bytes whatever the locale).
 */
export function shellQuote(s: string): string {
  if (!CONTROL.test(s)) return `'${s.replace(/'/g, `'\\''`)}'`;
  let out = '';
  for (const ch of s) {
    if (ch === '\\' || ch === "'") out += `\\${ch}`;
    else if (CONTROL.test(ch)) for (const b of Buffer.from(ch, 'utf8')) out += `\\x${b.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `$'${out}'`;
}

/** One gc call as the script runs it: every word quoted (shellQuote), so it can be pasted into a shell as is. */
export function commandText(call: Pick<GcCall, 'args'>): string {
  return ['gc', ...call.args].map(shellQuote).join(' ');
}

/**
 * The calls of each repair, for `apply --dry-run` and the confirmation: the repair's id, then each call in the
 * words the script uses; a repair gc cannot make says why. Nothing in it is raw data (commandText quotes).
 */
export function callsListing(items: readonly RepairCalls[]): string {
  const lines = ['gc calls, in order (each line as `apply --emit-script` writes it):'];
  for (const i of items) {
    if ('refused' in i) {
      lines.push(`  ${sanitize(i.repair.id)}: not possible through gc: ${sanitize(i.refused)}`);
      continue;
    }
    lines.push(`  ${sanitize(i.repair.id)}:`);
    for (const c of i.calls) lines.push(`    ${commandText(c)}`);
  }
  return lines.join('\n') + '\n';
}

/** Quoted only when it has to be: the words of messages and comments stay readable. */
function word(s: string): string {
  return PLAIN.test(s) ? s : shellQuote(s);
}

export interface ScriptHeader {
  /** The city directory (absolute) and the name its store references use. */
  dir: string;
  cityName: string;
  edition: Edition;
  editionWhy: string;
  /** When it was made (RFC 3339) and by whom. */
  time: string;
  by: string;
}

const HELPERS = `# Messages quote with %q: metadata and gc's answers may hold escape sequences, never sent raw to the terminal.
failed() {
  printf 'gc-tui script: gc failed; stopped at:' >&2
  printf ' %q' "$@" >&2
  printf '\\n' >&2
  exit 2
}
unexpected() {
  printf 'gc-tui script: unexpected answer from gc: %q\\n' "$1" >&2
  exit 2
}

# metadata-cas: go on when gc swapped the value or it already held the new one; a conflict is stale.
cas() {
  local out
  if ! out=$("$@"); then
    failed "$@"
  fi
  case $out in
    *'"outcome":"swapped"'* | *'"outcome":"already_next"'*) return 0 ;;
    *'"outcome":"conflict"'*) return 1 ;;
  esac
  unexpected "$out"
}

# release-if-current: released, or skipped (the work moved on: stale).
release() {
  local out
  if ! out=$("$@"); then
    failed "$@"
  fi
  case $out in
    released) return 0 ;;
    skipped) return 1 ;;
  esac
  unexpected "$out"
}

# session close: no condition of its own; it runs only after every compare-and-set of its repair held.
close_session() {
  if ! "$@"; then
    failed "$@"
  fi
}
`;

const HELPER_OF = { 'metadata-cas': 'cas', 'release-if-current': 'release', 'session-close': 'close_session' } as const;

/** The comment lines naming a repair: safe to show (sanitized), never more than one line each. */
function comment(text: string): string {
  return `# ${sanitize(text)}`;
}

/** The whole script: header, helpers, one `if` per repair, a summary line and the exit code (1 when stale). */
export function scriptFor(items: readonly RepairCalls[], h: ScriptHeader): string {
  const written = items.filter((i) => 'calls' in i);
  const refused = items.filter((i) => 'refused' in i);
  const lines: string[] = [
    '#!/usr/bin/env bash',
    '# gc-tui apply script: reviewed repairs as Gas City commands. Nothing has been applied; run it to apply them.',
    comment(`city: ${h.dir} (store references city:${h.cityName})`),
    comment(`rules: ${h.edition} (${h.editionWhy})`),
    comment(`made: ${h.time} by ${h.by}`),
    comment(`repairs: ${written.length}${refused.length ? ` (and ${refused.length} gc cannot make, listed as not written)` : ''}`),
    ...written.map((i) => comment(`  ${i.repair.id}`)),
    '# Each metadata key is one compare-and-set: written only while it still holds the value gc-tui saw. A conflict',
    '# makes that repair stale and skips its later calls (keys already written stay written); an error stops here.',
    'set -euo pipefail',
    '',
    HELPERS,
    'applied=0',
    'stale=0',
  ];
  for (const i of refused) {
    lines.push('', comment(`not written: ${i.repair.id}: ${'refused' in i ? i.refused : ''}`));
  }
  written.forEach((i, n) => {
    if (!('calls' in i)) return;
    const r = i.repair;
    lines.push('', comment(`${n + 1}/${written.length} ${r.id}: ${r.reason}`));
    for (const c of r.changes) lines.push(comment(`  ${c.field}: ${JSON.stringify(c.before)} -> ${JSON.stringify(c.after)}`));
    const calls = i.calls.map((c) => `${HELPER_OF[c.kind]} ${commandText(c)}`);
    if (calls.length === 0) return;
    lines.push(`if ${calls.join(' \\\n  && ')}; then`);
    lines.push(`  echo ${word(`applied ${r.id}`)}`, '  applied=$((applied + 1))', 'else');
    lines.push(`  echo ${word(`stale ${r.id}: a value changed since it was reviewed; its later calls were not made`)}`);
    lines.push('  stale=$((stale + 1))', 'fi');
  });
  lines.push('', 'echo "$applied applied, $stale stale"', 'if [ "$stale" -gt 0 ]; then exit 1; fi', '');
  return lines.join('\n');
}
