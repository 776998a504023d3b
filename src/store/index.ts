// Public surface of the store layer, for the CLI and the console.
export * from './types.js';
export { loadSource, resolveSource, UsageError, DEFAULT_STORE } from './source.js';
export { loadStore, readStoreDb, openStoreDb, validateStoreDocument, stateFromStoreDocument, writeStoreDocument } from './load-store.js';
export { loadCity, readCityConfig, cityPaths, type CityPaths } from './load-city.js';
export { applyRepairsLocked, previewRepairs, type ApplyOptions } from './write.js';
export { appendAudit, readAudit } from './audit.js';
export { recordDecision, readCityDecisions } from './decisions.js';
export { withFileLock, lockTimeoutMs, LockTimeoutError } from './lock.js';
export { lockPathOf, auditPathOf, describeSource } from './paths.js';
export { sanitize } from './sanitize.js';
export { formatZ, parseRfc3339 } from './time.js';
export { formatCheckSummary } from './summary.js';
export { exportJsonDocument, renderMarkdown, renderCsv, storeDocumentOf } from './export.js';
export { publicPlan, driftExitCode } from './plan-view.js';
export { prepareDemoStore, demoFixturePath } from './demo.js';
export { defaultOperator } from './operator.js';
