import { dirname, resolve } from 'node:path';
import { isPair, isScalar, parseDocument, visit, type Document } from 'yaml';
import { messageRegistry } from '../render/messages.js';
import { loadRenderer, MessagesError, type Renderer } from '../render/renderer.js';
import { allRules } from '../rules/index.js';
import type { AnyRule } from '../rules/types.js';
import { PACKAGE_ROOT, readText } from '../shipped/files.js';
import { ConfigError } from './errors.js';
import { crossReferenceProblems } from './crossReferences.js';
import { configSchemaFor, type BotConfig } from './schema.js';
import { SetupError } from './env.js';

export { ConfigError };
export { PACKAGE_ROOT } from '../shipped/files.js';
export const DEFAULT_CONFIG_PATH = resolve(PACKAGE_ROOT, 'config', 'support-bot.yml');

/** The message templates shipped with this version: what `bot.messagesDir` means when unset. */
export const SHIPPED_MESSAGES_DIR = resolve(PACKAGE_ROOT, 'config', 'messages');

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

/** An unknown key is named by its own path (`gitlab.bogus`), not its parent's; under `rules`, with the rules there are. */
function unknownKeyProblem(path: PropertyKey[], key: string, rules: readonly AnyRule[]): string {
  if (path.length === 1 && path[0] === 'rules') return `rules.${key}: unknown rule (rules: ${rules.map((r) => r.key).join(', ')})`;
  return `${formatPath([...path, key])}: unknown key`;
}

/** Validates an already-parsed config object, with a section and a switch for each of `rules`. */
export function parseConfig(raw: unknown, source = '(inline)', rules: readonly AnyRule[] = allRules): BotConfig {
  const parsed = configSchemaFor(rules).safeParse(raw ?? {});
  if (!parsed.success) {
    throw new ConfigError(
      source,
      parsed.error.issues.flatMap((issue) =>
        issue.code === 'unrecognized_keys' ? issue.keys.map((key) => unknownKeyProblem(issue.path, key, rules)) : [`${formatPath(issue.path)}: ${issue.message}`],
      ),
    );
  }
  const problems = crossReferenceProblems(parsed.data, raw, rules);
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

export function parseConfigText(text: string, source: string, rules: readonly AnyRule[] = allRules): BotConfig {
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
  return parseConfig(raw, source, rules);
}

/**
 * Loads and checks the message templates a config points at (`bot.messagesDir`, relative to the
 * file; unset, the shipped ones): every one `rules` and the core render.
 */
export function loadMessages(config: BotConfig, baseDir: string, source: string, rules: readonly AnyRule[] = allRules): Renderer {
  const dir = config.bot.messagesDir === undefined ? SHIPPED_MESSAGES_DIR : resolve(baseDir, config.bot.messagesDir);
  try {
    return loadRenderer(dir, messageRegistry(rules));
  } catch (error) {
    if (error instanceof MessagesError)
      throw new ConfigError(
        source,
        error.problems.map((p) => `bot.messagesDir (${dir}): ${p}`),
      );
    throw error;
  }
}

/**
 * Reads, validates and cross-checks a config file and its message templates, for `rules` (the
 * shipped ones unless a test adds its own): the file at `path` (one the user named), else
 * SUPPORT_BOT_CONFIG, else the shipped default.
 */
export function loadConfig(path?: string, rules: readonly AnyRule[] = allRules): LoadedConfig {
  const fromEnv = process.env.SUPPORT_BOT_CONFIG || undefined;
  const absolute = resolve(path ?? fromEnv ?? DEFAULT_CONFIG_PATH);
  let text: string;
  try {
    text = readText(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'not found' : `cannot read the file (${code ?? String(error)})`;
    // A file named on the command line is just missing; a path from the environment says where it came from.
    const hint =
      path !== undefined ? '' : fromEnv !== undefined ? ' (the path SUPPORT_BOT_CONFIG gives)' : '; set SUPPORT_BOT_CONFIG to your config file (`npx support-bot init` writes one)';
    throw new SetupError(`config ${absolute}: ${problem}${hint}`);
  }
  const config = parseConfigText(text, absolute, rules);
  const baseDir = dirname(absolute);
  return { config, path: absolute, baseDir, render: loadMessages(config, baseDir, absolute, rules) };
}

/** The message templates of a directory, checked against what `rules` and the core render. */
export function loadMessagesDir(dir: string, rules: readonly AnyRule[] = allRules): Renderer {
  return loadRenderer(dir, messageRegistry(rules));
}

/**
 * The rules a config file is read for when `rules` are the ones to run: every shipped rule
 * (the file may configure one that this run leaves out) plus any other among `rules`.
 */
export function configuredRules(rules: readonly AnyRule[] = []): readonly AnyRule[] {
  const shipped = new Set(allRules.map((r) => r.key));
  return [...allRules, ...rules.filter((r) => !shipped.has(r.key))];
}
