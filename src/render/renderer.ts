import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Handlebars from 'handlebars';
import { neutralize } from './neutralize.js';

/** Renders a named message template (a `.hbs` file) with data. */
export interface Renderer {
  render(name: string, data: object): string;
  has(name: string): boolean;
}

function createHandlebars(): typeof Handlebars {
  const hbs = Handlebars.create();
  // Text the bot posts is Markdown, not HTML: escaping is done by `neutralize`, not by Handlebars.
  hbs.registerHelper('quote', (text: unknown) => new hbs.SafeString(neutralize(String(text ?? ''))));
  hbs.registerHelper('join', (items: unknown, separator: unknown) =>
    Array.isArray(items) ? items.join(typeof separator === 'string' ? separator : ', ') : '',
  );
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

/** Loads every `<name>.hbs` in a directory. */
export function loadRenderer(dir: string): Renderer {
  if (!existsSync(dir)) throw new Error(`messages: directory ${dir} does not exist (bot.messagesDir)`);
  const templates: Record<string, string> = {};
  for (const file of readdirSync(dir)) {
    if (file.endsWith('.hbs')) templates[basename(file, '.hbs')] = readFileSync(join(dir, file), 'utf8');
  }
  return createRenderer(templates);
}
