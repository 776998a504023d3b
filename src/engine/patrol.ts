// Time in the plan: the city's patrol interval, as the plan's ETAs and the console's patrol timer read it.
import type { CityConfig } from './types.js';
import { parseDurationMs } from './values.js';

/** Gas City's patrol interval when `[daemon] patrol_interval` is absent or unusable. */
export const DEFAULT_PATROL_MS = 30_000;

/** The patrol interval of a city (`[daemon] patrol_interval`, see parseDurationMs), 30 s when unusable. */
export function patrolIntervalMs(city: Pick<CityConfig, 'daemon'> | null | undefined): number {
  return parseDurationMs(city?.daemon?.patrol_interval) ?? DEFAULT_PATROL_MS;
}
