import { join, resolve } from 'node:path';
import { listDirectory, PACKAGE_ROOT, readText } from '../shipped/files.js';
import { parseMarkdown } from './markdown.js';
import { markerNames } from './marker.js';
import { meaningfulLines, sectionBodies } from './sections.js';

// Issue template files: a project's own (`.gitlab/issue_templates/<Name>.md`) and the copies
// the bot ships (`issue_templates/<project-key>/<Name>.md`). What the bot needs from a file
// is its required sections, its headings and, per heading, the lines the template itself
// puts there (examples, unticked boxes): those do not fill a section.
//
// Required sections: every `##` heading, unless its text ends in `(optional)`
// (`## Deadline (optional)`): the marker is visible to the person filling the template too.

export const SHIPPED_TEMPLATES_DIR = resolve(PACKAGE_ROOT, 'issue_templates');

/** How a template marks a `##` heading as not required: `## Deadline (optional)`. */
export const OPTIONAL_MARKER = /\(\s*optional\s*\)\s*$/i;

export interface TemplateFile {
  name: string;
  text: string;
  /** The `##` headings not marked optional, as written (without `#`s), in file order. */
  required: string[];
  /** Names in the file's `<!-- template: … -->` markers. */
  markers: string[];
  /** Keys of the file's own headings. */
  headings: ReadonlySet<string>;
  /** Per heading key, the template's own lines under it. */
  placeholders: ReadonlyMap<string, ReadonlySet<string>>;
}

export interface ShippedTemplate extends TemplateFile {
  /** Project key (the folder the file is in). */
  project: string;
  /** `<project-key>/<Name>.md`, relative to the templates directory. */
  file: string;
}

/** Shipped templates by name. */
export type TemplateCatalog = ReadonlyMap<string, ShippedTemplate>;

export function templateFile(project: string, name: string): string {
  return `${project}/${name}.md`;
}

/** Reads one template file: its required sections, headings and placeholder lines. */
export function readTemplateFile(name: string, text: string): TemplateFile {
  const doc = parseMarkdown(text);
  const headings = new Set(doc.lines.flatMap((line) => (line.heading ? [line.heading.key] : [])));
  const required = doc.lines.flatMap((line) => (line.heading?.level === 2 && !OPTIONAL_MARKER.test(line.heading.text) ? [line.heading.text] : []));
  const placeholders = new Map<string, ReadonlySet<string>>();
  for (const [key, body] of sectionBodies(doc, headings)) placeholders.set(key, new Set(meaningfulLines(body)));
  return { name, text, required, markers: markerNames(doc), headings, placeholders };
}

export function readShippedTemplate(project: string, name: string, text: string): ShippedTemplate {
  return { ...readTemplateFile(name, text), project, file: templateFile(project, name) };
}

/** Reads every `<project>/<Name>.md` under `dir`; a missing directory is an empty catalogue. */
export function loadTemplateCatalog(dir: string): TemplateCatalog {
  const catalog = new Map<string, ShippedTemplate>();
  for (const project of listDirectory(dir)?.directories ?? []) {
    for (const file of listDirectory(join(dir, project))?.files ?? []) {
      if (!file.endsWith('.md')) continue;
      const name = file.slice(0, -'.md'.length);
      catalog.set(name, readShippedTemplate(project, name, readText(join(dir, project, file))));
    }
  }
  return catalog;
}
