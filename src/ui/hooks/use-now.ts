// A clock for ages on screen ("updated 3 s ago"); only the component that shows an age ticks.
import { useEffect, useState } from 'react';

export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    t.unref?.();
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}
