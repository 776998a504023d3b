// Where a city's files are: a module of its own, so that naming them (a store file's commands do, for the lock and
// audit paths of a city) does not load what reads a city (load-city.ts, with its TOML parser), which `check` of a
// store file never runs.
import { join } from 'node:path';

export interface CityPaths {
  root: string;
  cityToml: string;
  packToml: string;
  agentsDir: string;
  beads: string;
  beadsLock: string;
  beadsTmp: string;
  gcTuiDir: string;
  audit: string;
  decisions: string;
  metrics: string;
}

export function cityPaths(dir: string): CityPaths {
  const gcTuiDir = join(dir, '.gc', 'gc-tui');
  return {
    root: dir,
    cityToml: join(dir, 'city.toml'),
    packToml: join(dir, 'pack.toml'),
    agentsDir: join(dir, 'agents'),
    beads: join(dir, '.gc', 'beads.json'),
    beadsLock: join(dir, '.gc', 'beads.json.lock'),
    beadsTmp: join(dir, '.gc', 'beads.json.tmp'),
    gcTuiDir,
    audit: join(gcTuiDir, 'audit.jsonl'),
    decisions: join(gcTuiDir, 'decisions.json'),
    metrics: join(gcTuiDir, 'metrics.jsonl'),
  };
}
