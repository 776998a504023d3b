// The bundled demo city. `--demo` works on a fresh temporary copy, so the shipped fixture is never changed.
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from './types.js';

/**
 * fixtures/demo-city.json at the package root: the nearest folder above this code that has it. This module
 * sits at src/store/ when run from the sources and inside a bundled file at the top of dist/ when built.
 */
export function demoFixturePath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (let dir = here, i = 0; i < 4; i++, dir = dirname(dir)) {
    const candidate = join(dir, 'fixtures', 'demo-city.json');
    if (existsSync(candidate)) return candidate;
  }
  return join(dirname(dirname(here)), 'fixtures', 'demo-city.json');
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
