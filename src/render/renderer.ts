import { basename, join } from 'node:path';
import Handlebars from 'handlebars';
import { messageProblems, type MessageRegistry } from './messages.js';
import { neutralize } from './neutralize.js';
import { listDirectory, readText } from '../shipped/files.js';

/** Renders a named message template (a `.hbs` file) with data; a rule's renderer takes only the names it declares. */
export interface Renderer<Name extends string = string> {
  render: (name: Name, data: object) => string;
  has(name: string): boolean;
}

/** Message templates that cannot be used; each problem names the file. */
export class MessagesError extends Error {
  constructor(
    readonly dir: string,
    readonly problems: string[],
  ) {
    super(`messages ${dir}: ${problems.join('; ')}`);
    this.name = 'MessagesError';
  }
}

function createHandlebars(): typeof Handlebars {
  const hbs = Handlebars.create();
  // Text the bot posts is Markdown, not HTML: escaping is done by `neutralize`, not by Handlebars.
  hbs.registerHelper('quote', (text: unknown) => new hbs.SafeString(neutralize(String(text ?? ''))));
  hbs.registerHelper('join', (items: unknown, separator: unknown) => (Array.isArray(items) ? items.join(typeof separator === 'string' ? separator : ', ') : ''));
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  return hbs;
}

export function createRenderer(templates: Record<string, string>): Renderer {
  const hbs = createHandlebars();
  const compiled = new Map<string, Handlebars.TemplateDelegate>();
  for (const [name, source] of Object.entries(templates)) {
    compiled.set(name, hbs.compile(source, { noEscape: true, strict: true }));
  }
  return {
    has: (name) => compiled.has(name),
    render(name, data) {
      const template = compiled.get(name);
      if (!template) throw new Error(`messages: no template "${name}.hbs" (have: ${[...compiled.keys()].join(', ') || 'none'})`);
      return template(data).trim();
    },
  };
}

/** Problems with a set of templates, checked with the helpers the renderer registers. */
export function checkMessages(templates: Readonly<Record<string, string>>, required: MessageRegistry): string[] {
  return messageProblems(templates, createHandlebars(), required);
}

/** Reads every `<name>.hbs` in a directory; throws MessagesError when the directory is missing. */
export function readMessages(dir: string): Record<string, string> {
  const listing = listDirectory(dir);
  if (!listing) throw new MessagesError(dir, [`directory ${dir} does not exist`]);
  const notFiles = listing.directories.filter((d) => d.endsWith('.hbs'));
  if (notFiles.length > 0)
    throw new MessagesError(
      dir,
      notFiles.map((d) => `${d} is a directory, not a template file`),
    );
  const templates: Record<string, string> = {};
  for (const file of listing.files) {
    if (file.endsWith('.hbs')) templates[basename(file, '.hbs')] = readText(join(dir, file));
  }
  return templates;
}

/**
 * Loads every `<name>.hbs` in a directory and checks each template of the registry
 * (present, valid syntax, known helpers, renders with each sample of the rule's data). Throws
 * MessagesError listing every problem, so nothing starts with a rule that cannot speak.
 */
export function loadRenderer(dir: string, required: MessageRegistry): Renderer {
  const templates = readMessages(dir);
  const problems = checkMessages(templates, required);
  if (problems.length > 0) throw new MessagesError(dir, problems);
  return createRenderer(templates);
}
