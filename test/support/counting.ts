// The engine's plans and the store's JSON parses, counted, for a test file that vi.mocks those modules with these (it
// runs in a module graph of its own: vitest.config.ts ISOLATED). The real functions run; they are only counted.
import { vi } from 'vitest';
import type * as engine from '../../src/engine/index.js';
import type * as jsonText from '../../src/store/formats/json-text.js';

/** The engine's module with its `plan` counted. */
export function countedEngine(real: typeof engine): typeof engine {
  return { ...real, plan: vi.fn(real.plan) };
}

/** The JSON text module with each of its parsers counted. */
export function countedJsonText(real: typeof jsonText): typeof jsonText {
  const { parseJsonText, parseJsonDocument, parseJsonFile } = real;
  return { ...real, parseJsonText: vi.fn(parseJsonText), parseJsonDocument: vi.fn(parseJsonDocument), parseJsonFile: vi.fn(parseJsonFile) };
}

/** Counting from now (every mock cleared): the number of texts the counted parsers of `counted` parsed of `size` or more characters. */
export function countingParses(counted: typeof jsonText, size: number): () => number {
  vi.clearAllMocks();
  const parsers = [counted.parseJsonText, counted.parseJsonDocument, counted.parseJsonFile] as ((text: string) => unknown)[];
  return () => parsers.flatMap((f) => vi.mocked(f).mock.calls).filter(([text]) => text.length >= size).length;
}
