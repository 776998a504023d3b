// Reading one TOML file of a city (city.toml, pack.toml, agents/<name>/agent.toml): parsed, checked against its
// schema, and every refusal naming the file and the line.
import { parse as parseToml, TomlError } from 'smol-toml';
import { readRegularText } from '../fs/read-bounded.js';
import { formatJsonPath } from './json-path.js';
import { describeIssues, schemas, summarizeProblems } from './schema.js';
import { isAgentToml, isCityToml } from './shape.js';
import { tomlLineOf } from './toml-location.js';
import { InputError } from '../types.js';

export type Table = Record<string, unknown>;

export function readToml(file: string): { text: string; data: Table } {
  const text = readRegularText(file);
  try {
    return { text, data: parseToml(text) as Table };
  } catch (e) {
    if (e instanceof TomlError) {
      const detail = e.message.replace(/^Invalid TOML document:\s*/, '').split('\n')[0];
      throw new InputError(file, `line ${e.line}, column ${e.column}`, `invalid TOML: ${detail}`);
    }
    throw e;
  }
}

/** A TOML place: `line 12 (agent[1].max_active_sessions)` when the line can be found. */
export function tomlPlace(text: string, path: readonly PropertyKey[]): string {
  const line = tomlLineOf(text, path);
  const p = formatJsonPath(path);
  return line === null ? p : `line ${line} (${p})`;
}

export function validateToml(file: string, text: string, data: Table, kind: 'city' | 'agent'): void {
  // shape.ts's check lets a valid table through without zod; zod decides, and words, when it says no.
  if (kind === 'city' ? isCityToml(data) : isAgentToml(data)) return;
  const result = (kind === 'city' ? schemas().cityTomlSchema : schemas().agentTomlSchema).safeParse(data);
  if (result.success) return;
  const problems = describeIssues(data, result.error.issues);
  const { detail } = summarizeProblems(problems);
  throw new InputError(file, tomlPlace(text, problems[0].path), detail);
}
