import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { embedded } from './embedded.js';

// The package's own files (default config, message templates, issue templates): on disk next to
// dist/, or inside the single-file bundle. Inside the bundle they live under a root named after the
// bundle file itself (`/app/support-bot.mjs/config/…`), a path no real file can take, so a
// config the user points at is always read from disk.

/** The checkout or installed package this module belongs to (works from src/, dist/ and dist-bench/src/). */
function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(resolve(dir, 'package.json')) && existsSync(resolve(dir, 'config'))) return dir;
    if (dirname(dir) === dir) return resolve(start, '..', '..');
  }
}

const moduleFile = fileURLToPath(import.meta.url);

/** Where the shipped files are: the package directory, or (bundled) the bundle file as a virtual directory. */
export const PACKAGE_ROOT = embedded ? moduleFile : findPackageRoot(dirname(moduleFile));

/** The file to run the CLI as a child process: the bundle itself, or dist/cli.js. */
export const CLI_ENTRY = embedded ? moduleFile : resolve(PACKAGE_ROOT, 'dist', 'cli.js');

/** The package's version (package.json, or the one the bundle was built from). */
export function packageVersion(): string {
  if (embedded) return embedded.version;
  return (JSON.parse(readFileSync(resolve(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The path of `path` inside the bundle (`config/support-bot.yml`), or undefined when it is a path on disk. */
function embeddedKey(path: string): string | undefined {
  if (!embedded) return undefined;
  const rel = relative(PACKAGE_ROOT, resolve(path));
  if (rel.startsWith('..') || resolve(PACKAGE_ROOT, rel) !== resolve(path)) return undefined;
  return rel.split(sep).join('/');
}

function notFound(path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOENT: no such file in the bundle, open '${path}'`), { code: 'ENOENT', path });
}

/** Reads a UTF-8 file, from the bundle when it is one of the shipped files; throws ENOENT like readFileSync. */
export function readText(path: string): string {
  const key = embeddedKey(path);
  if (key === undefined) return readFileSync(path, 'utf8');
  const text = embedded!.files[key];
  if (text === undefined) throw notFound(path);
  return text;
}

export interface DirectoryListing {
  files: string[];
  directories: string[];
}

/** The files and sub-directories directly in `dir`, or undefined when it is not a directory. */
export function listDirectory(dir: string): DirectoryListing | undefined {
  const key = embeddedKey(dir);
  if (key === undefined) {
    if (!existsSync(dir)) return undefined;
    try {
      const entries = readdirSync(dir, { withFileTypes: true });
      return { files: entries.filter((e) => e.isFile()).map((e) => e.name), directories: entries.filter((e) => e.isDirectory()).map((e) => e.name) };
    } catch {
      return undefined;
    }
  }
  const prefix = key === '' ? '' : `${key}/`;
  const files = new Set<string>();
  const directories = new Set<string>();
  for (const path of Object.keys(embedded!.files)) {
    if (!path.startsWith(prefix)) continue;
    const [first, ...rest] = path.slice(prefix.length).split('/');
    (rest.length === 0 ? files : directories).add(first!);
  }
  if (files.size === 0 && directories.size === 0) return undefined;
  return { files: [...files].sort(), directories: [...directories].sort() };
}
