import { join, resolve } from 'node:path';
import { listDirectory, PACKAGE_ROOT, readText } from '../shipped/files.js';
import { parseMarkdown } from './markdown.js';
import { markerNames } from './marker.js';
import { meaningfulLines, sectionBodies } from './sections.js';

// The issue templates the bot ships, as files: `issue_templates/<project-key>/<Name>.md`.
// What the bot needs from a file is its headings and, per heading, the lines the
// template itself puts there (examples, unticked boxes): those do not fill a section.

export const SHIPPED_TEMPLATES_DIR = resolve(PACKAGE_ROOT, 'issue_templates');

export interface ShippedTemplate {
  name: string;
  /** Project key (the folder the file is in). */
  project: string;
  /** `<project-key>/<Name>.md`, relative to the templates directory. */
  file: string;
  text: string;
  /** Names in the file's `<!-- template: … -->` markers. */
  markers: string[];
  /** Keys of the file's own headings. */
  headings: ReadonlySet<string>;
  /** Per heading key, the template's own lines under it. */
  placeholders: ReadonlyMap<string, ReadonlySet<string>>;
}

/** Shipped templates by name. */
export type TemplateCatalog = ReadonlyMap<string, ShippedTemplate>;

export function templateFile(project: string, name: string): string {
  return `${project}/${name}.md`;
}

export function readShippedTemplate(project: string, name: string, text: string): ShippedTemplate {
  const doc = parseMarkdown(text);
  const headings = new Set(doc.lines.flatMap((line) => (line.heading ? [line.heading.key] : [])));
  const placeholders = new Map<string, ReadonlySet<string>>();
  for (const [key, body] of sectionBodies(doc, headings)) placeholders.set(key, new Set(meaningfulLines(body)));
  return { name, project, file: templateFile(project, name), text, markers: markerNames(doc), headings, placeholders };
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
