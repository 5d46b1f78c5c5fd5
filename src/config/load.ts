import { dirname, resolve } from 'node:path';
import { isPair, isScalar, parseDocument, visit, type Document } from 'yaml';
import { loadRenderer, MessagesError, type Renderer } from '../render/renderer.js';
import { PACKAGE_ROOT, readText } from '../shipped/files.js';
import { ConfigError } from './errors.js';
import { configSchema, type BotConfig } from './schema.js';

export { ConfigError };

export const DEFAULT_CONFIG_PATH = resolve(PACKAGE_ROOT, 'config', 'support-bot.yml');

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
    throw new ConfigError(
      source,
      doc.errors.map((e) => `YAML: ${e.message.split('\n')[0]}`),
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

export function loadConfig(path = process.env.SUPPORT_BOT_CONFIG || DEFAULT_CONFIG_PATH): LoadedConfig {
  const absolute = resolve(path);
  let text: string;
  try {
    text = readText(absolute);
  } catch (error) {
    throw new ConfigError(absolute, [`cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)}); set SUPPORT_BOT_CONFIG to a readable YAML file`]);
  }
  const config = parseConfigText(text, absolute);
  const baseDir = dirname(absolute);
  return { config, path: absolute, baseDir, render: loadMessages(config, baseDir, absolute) };
}
