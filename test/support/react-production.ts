// Runs before each file of the ui project (vitest.config.ts), so before React is first loaded: the views are
// tested on React's production build, the one the console runs (src/ui/run.tsx, scripts/build.mjs). The
// development build re-checks every element and hook on every render, which made these files a seventh slower.
process.env.NODE_ENV = 'production';
