// `npm run bundle`: the whole CLI, its dependencies and the files it ships (config/,
// issue_templates/) in one ES module, bundle/support-bot.mjs, that runs with Node alone.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinModules } from 'node:module';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const BUNDLE_FILE = join(root, 'bundle', 'support-bot.mjs');
/** What src/shipped/files.ts reads from the package: everything under these directories. */
const SHIPPED_DIRS = ['config', 'issue_templates'];

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

function shippedFiles() {
  const files = {};
  for (const dir of SHIPPED_DIRS) {
    for (const file of filesUnder(join(root, dir)).sort()) files[relative(root, file).split(sep).join('/')] = readFileSync(file, 'utf8');
  }
  return files;
}

/** Replaces src/shipped/embedded.ts with the shipped files' contents. */
const embedShippedFiles = {
  name: 'embed-shipped-files',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]shipped[\\/]embedded\.ts$/ }, () => {
      const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
      return { contents: `export const embedded = ${JSON.stringify({ version, files: shippedFiles() })};`, loader: 'js' };
    });
  },
};

/**
 * Node's built-in modules as lazy `require`s: an ES import of one is hoisted to the top of the
 * bundle and evaluated at start-up (`node:http` alone loads undici, ~80 ms), whereas a CommonJS
 * wrapper runs only when a module that uses it is first needed (`serve`, not `handle-event`).
 */
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    const builtins = new Set(builtinModules);
    b.onResolve({ filter: /^[a-z_:/]+$/ }, (args) => {
      if (args.namespace === 'lazy-builtin' || !builtins.has(args.path.replace(/^node:/, ''))) return undefined;
      if (args.kind !== 'import-statement' && args.kind !== 'dynamic-import') return { path: args.path, external: true };
      return { path: args.path, namespace: 'lazy-builtin' };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

/**
 * zod's error messages in its 60-odd other languages (`z.locales.*`, ~300 KB the bot never uses:
 * it keeps zod's default English): every start-up would parse them for nothing.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({
      contents: 'export { default as en } from "./en.js";',
      loader: 'js',
      resolveDir: join(root, 'node_modules/zod/v4/locales'),
    }));
  },
};

export async function bundle() {
  const result = await build({
    entryPoints: [join(root, 'src', 'cli.ts')],
    outfile: BUNDLE_FILE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node26',
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: 'eof',
    metafile: true,
    logLevel: 'warning',
    plugins: [embedShippedFiles, lazyBuiltins, zodEnglishOnly],
    // Node's compile cache (on disk, keyed by file contents) before anything else is parsed;
    // `require` for the CommonJS dependencies esbuild wraps.
    banner: {
      js: [
        // A namespace import, so that a Node without enableCompileCache still starts.
        "import * as __nodeModule from 'node:module';",
        '__nodeModule.enableCompileCache?.();',
        'const require = __nodeModule.createRequire(import.meta.url);',
      ].join('\n'),
    },
  });
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const { metafile } = await bundle();
  const bytes = metafile.outputs[relative(process.cwd(), BUNDLE_FILE)]?.bytes ?? Object.values(metafile.outputs)[0].bytes;
  console.log(`bundle: ${relative(process.cwd(), BUNDLE_FILE)} ${(bytes / 1024).toFixed(0)} KiB in ${Math.round(performance.now() - started)} ms`);
}
