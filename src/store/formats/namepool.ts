// A namepool file: one name per line; lines are trimmed, blank and `#` lines skipped (Gas City's
// internal/config/namepool.go). Slot N takes the N-th name.
import { readFileSync } from 'node:fs';

export function parseNamepool(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

export function readNamepool(file: string): string[] {
  return parseNamepool(readFileSync(file, 'utf8'));
}
