// Components read the vanilla store through this context with narrow selectors: a selector must
// return a primitive or a stable reference (zustand 5 re-renders forever on fresh objects). The
// console's services (jobs, refresh, clock) come through their own context, beside the store.
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { ConsoleServices } from '../../console/services.js';
import type { AppState, AppStore } from '../../console/state.js';

export const AppStoreContext = createContext<AppStore | null>(null);
export const ServicesContext = createContext<ConsoleServices | null>(null);

export function useAppStoreApi(): AppStore {
  const store = useContext(AppStoreContext);
  if (!store) throw new Error('AppStoreContext is missing');
  return store;
}

export function useServices(): ConsoleServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('ServicesContext is missing');
  return services;
}

export function useApp<T>(selector: (s: AppState) => T): T {
  return useStore(useAppStoreApi(), selector);
}
