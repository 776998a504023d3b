// Throwaway directories for store tests that touch real files.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const made: string[] = [];

export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'gc-tui-store-'));
  made.push(d);
  return d;
}

export function cleanup(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function write(file: string, text: string): string {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

export function session(id: string, metadata: Record<string, string>): Record<string, unknown> {
  return {
    id,
    title: '',
    status: 'open',
    issue_type: 'session',
    labels: ['gc:session'],
    metadata: { pool_managed: 'true', ...metadata },
    created_at: '2026-05-06T02:00:00Z',
  };
}
