// Which Gas City's rules a plan follows: chosen (`--rules 2026-05|2026-08`) or, for `auto`, as the input shows
// it. The engine judges a State (detectEdition); a sealed bead file is a marker only its top level carries,
// which the loaders keep beside the State (Loaded.extra), so it is handed over here.
import { detectEdition, isEdition, type DetectedEdition, type Edition } from '../engine/index.js';
import type { State } from '../engine/types.js';
import type { Source } from './types.js';
import { UsageError } from './source.js';

/** `--rules`: an edition, or `auto`. */
export type RulesChoice = Edition | 'auto';

/** The --rules value checked: an edition or `auto`; anything else is a usage error. */
export function parseRulesChoice(value: string | undefined): RulesChoice {
  const r = value ?? 'auto';
  if (r === 'auto' || isEdition(r)) return r;
  throw new UsageError(`--rules: ${JSON.stringify(r)} is not 2026-05, 2026-08 or auto`);
}

/**
 * The edition a plan of `loaded` follows under `choice`, and why. `auto` follows a store file's own `"rules"` key
 * when it has one (validated with the store: an edition), else what the input shows.
 */
export function editionOf(
  choice: RulesChoice,
  loaded: { source?: Source; state: State; extra?: Readonly<Record<string, unknown>> },
): DetectedEdition {
  if (choice !== 'auto') return { edition: choice, why: `chosen with --rules ${choice}` };
  const own = loaded.source?.kind === 'store' ? loaded.extra?.rules : undefined;
  if (isEdition(own)) return { edition: own, why: ownRulesWhy(own, loaded.extra?.plan) };
  const sealed = loaded.extra?.revisions_sealed === true;
  return detectEdition(sealed ? { ...loaded.state, markers: { revisions_sealed: true } } : loaded.state);
}

/**
 * Why a store file's own `"rules"` is followed. An `export --format json` snapshot wrote the edition its plan followed
 * as its `rules`: when its `plan.rules` still names that edition, its why (the source's markers, or `--rules`) is
 * said too, so a reopened snapshot does not hide why its source got that edition.
 */
function ownRulesWhy(own: Edition, plan: unknown): string {
  const says = `the store file says "rules": "${own}"`;
  const planned = plan !== null && typeof plan === 'object' ? (plan as { rules?: unknown }).rules : undefined;
  if (planned === null || typeof planned !== 'object') return says;
  const { edition, why } = planned as { edition?: unknown; why?: unknown };
  if (edition !== own || typeof why !== 'string' || why === '' || why.length > 500) return says;
  // A snapshot of a store that had its own rules, or of a snapshot, already says it all.
  if (why === says || why.startsWith(`${says}, `)) return why;
  return `${says}, the edition its snapshot was planned by (${why})`;
}
