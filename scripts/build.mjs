#!/usr/bin/env node
/* global process, console */
// `npm run build`: dist/ as the installed package runs it. The CLI and the plan worker are bundled (esbuild,
// with their dependencies) into a few files at the top of dist/: Node 20 has no compile cache, and resolving
// and loading some 400 separate modules was most of what a headless command cost (bundled, `check` on the
// demo city took 0.56x the CPU of the module-per-file build). The console (Ink, React) is its own chunk, loaded
// only by the interactive path. Type-checking is `npm run typecheck`; esbuild only strips the types.
//   node scripts/build.mjs [--outdir DIR] [--bench]
import { build } from 'esbuild';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The package: the CLI and, side by side at the top of dist/, the worker it finds as ./plan-worker.js. */
const PACKAGE = { cli: 'src/cli.tsx', 'plan-worker': 'src/console/worker/plan-worker.ts' };
/**
 * What the benches drive in process (test/support/bench-api.ts), with the worker its console starts, and the part of
 * it a console loads before Ink (bench-live.ts).
 */
const BENCH = { ...PACKAGE, 'bench-api': 'test/support/bench-api.ts', 'bench-live': 'test/support/bench-live.ts' };

/** For what Ink's frame writer imports, the module that keeps its answers across frames (src/ui/ink-cache). */
const INK_CACHES = {
  '@alcalzone/ansi-tokenize': 'tokenize.ts',
  'string-width': 'string-width.ts',
  'slice-ansi': 'slice-ansi.ts',
  // Not a cache: cli-cursor's exit hook, which wrote `ESC[?25h` to stderr after the console had shown the cursor
  // itself (a stray in `2>file`); see the module.
  'restore-cursor': 'restore-cursor.ts',
};
const FROM_CACHE = Symbol('resolved for src/ui/ink-cache');

/**
 * Ink redraws the whole screen for every key; most of a frame was its writer re-splitting and re-measuring lines
 * that had not changed. A package under node_modules/ (Ink, widest-line, cli-truncate) that imports one of these
 * gets src/ui/ink-cache's module instead: the same functions, answers kept across frames. Only where it would
 * get the very copy the cache module wraps (wrap-ansi keeps its own older string-width).
 */
const inkCaches = {
  name: 'ink-caches',
  setup(b) {
    const filter = new RegExp(
      `^(${Object.keys(INK_CACHES)
        .join('|')
        .replace(/[/@.-]/g, '\\$&')})$`,
    );
    b.onResolve({ filter }, async (args) => {
      if (args.pluginData === FROM_CACHE || !args.importer.includes(`${sep}node_modules${sep}`)) return undefined;
      const theirs = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: FROM_CACHE });
      const ours = await b.resolve(args.path, {
        resolveDir: join(root, 'src', 'ui', 'ink-cache'),
        kind: args.kind,
        pluginData: FROM_CACHE,
      });
      if (theirs.errors.length > 0 || theirs.path !== ours.path) return undefined;
      return { path: join(root, 'src', 'ui', 'ink-cache', INK_CACHES[args.path]) };
    });
    // Ink's own modules, as its build imports them: its frame grid, the copy that keeps each row's text across frames
    // (output.ts), and its text measure and wrap, whose caches kept every text ever shown (measure-text.ts).
    b.onResolve({ filter: /^\.\/(output|measure-text|wrap-text)\.js$/ }, (args) =>
      dirname(args.importer).endsWith(join('node_modules', 'ink', 'build'))
        ? { path: join(root, 'src', 'ui', 'ink-cache', args.path.slice(2).replace(/\.js$/, '.ts')) }
        : undefined,
    );
  },
};

/**
 * Node's own modules imported as ES modules get a facade that reads every one of their exports when it is made:
 * node:process's stdin, stdout, stderr and allowedNodeEnvironmentFlags (each a stream or a set made on first read),
 * node:crypto's webcrypto, with all of node:crypto loaded for the few functions we call. For these two, the
 * imports get a module of the names actually imported instead (the build fails on any other name): node:process
 * is the global `process`; node:crypto is loaded (with require, which makes no facade) at the first call, and
 * `check` never calls it. The values are Node's own (the same objects and functions).
 */
const THIN_BUILTINS = {
  'node:process': ['const p = globalThis.process;', 'export default p;', 'export const env = p.env;', 'export const cwd = p.cwd;'],
  'node:crypto': [
    "import { createRequire } from 'node:module';",
    'let loaded;',
    "const nodeCrypto = () => (loaded ??= createRequire(import.meta.url)('node:crypto'));",
    ...['createHash', 'randomBytes', 'randomUUID', 'getRandomValues'].map(
      (name) => `export function ${name}(...args) { return nodeCrypto().${name}(...args); }`,
    ),
  ],
};

const thinBuiltins = {
  name: 'thin-builtins',
  setup(b) {
    // Only `import` statements: a CommonJS require() of these gets Node's own module, all of it.
    b.onResolve({ filter: /^(node:)?(process|crypto)$/ }, (args) =>
      args.kind === 'import-statement'
        ? { path: args.path.startsWith('node:') ? args.path : `node:${args.path}`, namespace: 'thin-builtin' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'thin-builtin' }, (args) => ({
      contents: THIN_BUILTINS[args.path].join('\n'),
      resolveDir: root,
      loader: 'js',
    }));
  },
};

/** Builds the package (or, with `bench`, the benches' module beside it) into `outdir`, emptied first. */
export async function buildPackage(outdir = join(root, 'dist'), { bench = false } = {}) {
  rmSync(outdir, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: bench ? BENCH : PACKAGE,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: '[name]-[hash]',
    // fs-ext is a native addon, loaded from node_modules at run time on the one thread that locks
    // (src/store/fs/lock.ts); Ink imports react-devtools-core only when DEV=true, and it is not installed.
    external: ['fs-ext', 'react-devtools-core'],
    // The console always runs React's production build (src/ui/run.tsx); the development one is left out.
    define: { 'process.env.NODE_ENV': '"production"' },
    // CommonJS packages inside an ES module bundle still call require() for Node's own modules.
    banner: { js: "import { createRequire as __gcTuiRequire } from 'node:module'; const require = __gcTuiRequire(import.meta.url);" },
    jsx: 'automatic',
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [inkCaches, thinBuiltins],
  });
  chmodSync(join(outdir, 'cli.js'), 0o755);
}

/**
 * A new folder for a bench's build, inside node_modules/ so that fs-ext (not bundled) resolves from it as from
 * dist/. The caller removes it.
 */
export function benchBuildDir() {
  const cache = join(root, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  return mkdtempSync(join(cache, 'gc-tui-bench-'));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--outdir');
  buildPackage(i > 0 ? resolve(process.argv[i + 1]) : undefined, { bench: process.argv.includes('--bench') }).catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
