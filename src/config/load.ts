import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isPair, isScalar, parseDocument, visit, type Document } from 'yaml';
import { loadRenderer, MessagesError, type Renderer } from '../render/renderer.js';
import { configSchema, type BotConfig } from './schema.js';
import { SetupError } from './env.js';

/** The checkout or installed package this module belongs to (works from src/, dist/ and dist-bench/src/). */
function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(resolve(dir, 'package.json')) && existsSync(resolve(dir, 'config'))) return dir;
    if (dirname(dir) === dir) return resolve(start, '..', '..');
  }
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
export const DEFAULT_CONFIG_PATH = resolve(PACKAGE_ROOT, 'config', 'support-bot.yml');

/** A configuration that cannot be used; each problem names its key path. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`config ${source}: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadedConfig {
  config: BotConfig;
  /** The file it came from. */
  path: string;
  /** Where relative paths in it (messages, templates) are resolved from. */
  baseDir: string;
  /** The message templates of `bot.messagesDir`, loaded and checked with the config. */
  render?: Renderer;
}

function formatPath(path: PropertyKey[]): string {
  return path.length === 0
    ? '(root)'
    : path
        .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
        .join('.')
        .replace(/\.\[/g, '[');
}

function crossReferenceProblems(config: BotConfig, raw: unknown): string[] {
  const problems: string[] = [];
  const projectKeys = new Set(Object.keys(config.projects));
  const known = [...projectKeys].join(', ');
  config.templates.forEach((t, i) => {
    if (!projectKeys.has(t.project)) problems.push(`templates[${i}].project: unknown project "${t.project}" (known: ${known})`);
  });
  const names = new Set<string>();
  config.templates.forEach((t, i) => {
    if (names.has(t.name)) problems.push(`templates[${i}].name: duplicate template "${t.name}"`);
    names.add(t.name);
  });
  if (!projectKeys.has(config.activeNow.project)) {
    problems.push(`activeNow.project: unknown project "${config.activeNow.project}" (known: ${known})`);
  }
  // The default scope names the four default projects; a config without some of them simply has fewer in scope.
  const scopeWritten = (raw as { approvals?: { scope?: unknown } } | null)?.approvals?.scope !== undefined;
  config.approvals.scope.forEach((s, i) => {
    if (scopeWritten && !projectKeys.has(s.project)) problems.push(`approvals.scope[${i}].project: unknown project "${s.project}" (known: ${known})`);
  });
  return problems;
}

/** Validates an already-parsed config object. */
export function parseConfig(raw: unknown, source = '(inline)'): BotConfig {
  const parsed = configSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new ConfigError(
      source,
      // An unknown key is named by its own path (`gitlab.bogus`), not its parent's.
      parsed.error.issues.flatMap((issue) =>
        issue.code === 'unrecognized_keys' ? issue.keys.map((key) => `${formatPath([...issue.path, key])}: unknown key`) : [`${formatPath(issue.path)}: ${issue.message}`],
      ),
    );
  }
  const problems = crossReferenceProblems(parsed.data, raw);
  if (problems.length > 0) throw new ConfigError(source, problems);
  return parsed.data;
}

/** Aliases a YAML document may expand before it counts as an alias bomb (yaml's own default). */
export const MAX_YAML_ALIASES = 100;

/** Key path of the first alias in a document (`x.b[0]`), to name where an alias bomb sits. */
function firstAliasPath(doc: Document): string {
  let found = '(root)';
  visit(doc, {
    Alias(key, _node, path) {
      const parts: string[] = [];
      for (const step of path) if (isPair(step)) parts.push(isScalar(step.key) ? String(step.key.value) : String(step.key));
      if (typeof key === 'number') parts.push(`[${key}]`);
      found = parts.join('.').replace(/\.\[/g, '[') || '(root)';
      return visit.BREAK;
    },
  });
  return found;
}

export function parseConfigText(text: string, source: string): BotConfig {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const lines = text.split(/\r\n?|\n/);
    // The line itself, quoted (the last one with text, when YAML points past the end of a construct).
    const quoted = (at: number | undefined) => {
      let line = at;
      while (line !== undefined && line > 1 && (lines[line - 1] ?? '').trim() === '') line -= 1;
      return line !== undefined && lines[line - 1] !== undefined ? `\n      ${line} | ${lines[line - 1]!.slice(0, 200)}` : '';
    };
    throw new ConfigError(
      source,
      doc.errors.map((e) => `YAML: ${e.message.split('\n')[0]!.replace(/:$/, '')}${quoted(e.linePos?.[0]?.line)}`),
    );
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    // yaml throws a ReferenceError when aliases expand past maxAliasCount (a "billion laughs" file).
    throw new ConfigError(source, [
      `${firstAliasPath(doc)}: YAML aliases expand past ${MAX_YAML_ALIASES} nodes (${(error as Error).message}); write the values out instead of nesting aliases`,
    ]);
  }
  return parseConfig(raw, source);
}

/** Loads and checks the message templates a config points at (`bot.messagesDir`, relative to the file). */
export function loadMessages(config: BotConfig, baseDir: string, source: string): Renderer {
  const dir = resolve(baseDir, config.bot.messagesDir);
  try {
    return loadRenderer(dir);
  } catch (error) {
    if (error instanceof MessagesError)
      throw new ConfigError(
        source,
        error.problems.map((p) => `bot.messagesDir (${dir}): ${p}`),
      );
    throw error;
  }
}

/** Loads the config at `path` (a file the user named), else SUPPORT_BOT_CONFIG, else the shipped default. */
export function loadConfig(path?: string): LoadedConfig {
  const fromEnv = process.env.SUPPORT_BOT_CONFIG || undefined;
  const absolute = resolve(path ?? fromEnv ?? DEFAULT_CONFIG_PATH);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'not found' : `cannot read the file (${code ?? String(error)})`;
    // A file named on the command line is just missing; a path from the environment says where it came from.
    const hint =
      path !== undefined ? '' : fromEnv !== undefined ? ' (the path SUPPORT_BOT_CONFIG gives)' : '; set SUPPORT_BOT_CONFIG to your config file (`npx support-bot init` writes one)';
    throw new SetupError(`config ${absolute}: ${problem}${hint}`);
  }
  const config = parseConfigText(text, absolute);
  const baseDir = dirname(absolute);
  return { config, path: absolute, baseDir, render: loadMessages(config, baseDir, absolute) };
}
