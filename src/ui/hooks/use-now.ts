// The console's monotonic clock for what it times in the operator's hands (how long a card has been on screen before a
// key decides on it): performance.now by default; App's `now` prop replaces it, so a test moves time as it chooses
// instead of waiting on the wall clock. Plans and decisions use the services' clock (a Date) instead.
import { createContext, useContext } from 'react';

/** Milliseconds on a clock that never goes back (its zero means nothing). */
export type Now = () => number;

export const wallClock: Now = () => performance.now();

export const NowContext = createContext<Now>(wallClock);

export function useNow(): Now {
  return useContext(NowContext);
}
