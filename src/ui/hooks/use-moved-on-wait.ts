// Whether the decisions on the selected repair wait out the moment after the selection moved on to it by itself
// (actions.ts MOVED_ON_DWELL_MS): true until then, and a render when it ends, so that what offers those keys (the
// footer, the card) offers them again as soon as they act, on the console's clock (use-now.ts; a test's own).
import { useEffect, useState } from 'react';
import { movedOnUntil } from '../actions.js';
import { useApp } from './use-app-store.js';
import { useNow } from './use-now.js';

export function useMovedOnWait(active: boolean): boolean {
  const until = useApp((s) => (active ? movedOnUntil(s) : null));
  const now = useNow();
  const [, setTick] = useState(0);
  const waiting = until !== null && now() < until;
  useEffect(() => {
    if (!waiting || until === Infinity) return;
    // Checked again when the wait should be over (the clock may say otherwise: then once more, till it is).
    const t = setTimeout(() => setTick((n) => n + 1), Math.max(1, Math.ceil(until - now())));
    return () => clearTimeout(t);
  });
  return waiting;
}
