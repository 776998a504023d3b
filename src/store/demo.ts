// The bundled demo city. `--demo` works on a fresh temporary copy, so the shipped fixture is never changed.
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from './types.js';

/** fixtures/demo-city.json at the package root (this module sits two levels down in src/ and in dist/). */
export function demoFixturePath(): string {
  return fileURLToPath(new URL('../../fixtures/demo-city.json', import.meta.url));
}

/** Copy the demo city to a new temp directory and return the copy's path. */
export function prepareDemoStore(): string {
  const fixture = demoFixturePath();
  if (!existsSync(fixture)) throw new InputError(fixture, null, 'the bundled demo city is missing from this installation');
  const dir = mkdtempSync(join(tmpdir(), 'gc-tui-demo-'));
  const copy = join(dir, 'demo-city.json');
  copyFileSync(fixture, copy);
  return copy;
}
