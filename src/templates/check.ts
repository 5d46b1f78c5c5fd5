import type { TemplateConfig } from '../config/schema.js';
import type { TemplateCatalog } from './catalog.js';
import { headingKey, parseMarkdown } from './markdown.js';
import { recognizeTemplate, type Recognition, type RecognitionSettings } from './recognize.js';
import { isFilled, sectionBodies } from './sections.js';

export type TemplateCheck = { status: 'none' } | (Recognition & { status: 'matched'; /** Required sections still empty, by their configured heading. */ missing: string[] });

const NO_PLACEHOLDERS: ReadonlySet<string> = new Set();

/** Headings a bold line may stand for: the candidates' required sections and their files' own headings. */
function knownHeadings(candidates: readonly TemplateConfig[], catalog: TemplateCatalog): Set<string> {
  const known = new Set<string>();
  for (const template of candidates) {
    for (const section of template.requiredSections) known.add(headingKey(section));
    for (const key of catalog.get(template.name)?.headings ?? []) known.add(key);
  }
  return known;
}

/** Which of the project's templates the description follows, and which of its required sections are empty. */
export function checkTemplate(description: string, candidates: readonly TemplateConfig[], catalog: TemplateCatalog, settings: RecognitionSettings): TemplateCheck {
  const doc = parseMarkdown(description, knownHeadings(candidates, catalog));
  const recognition = recognizeTemplate(doc, candidates, settings);
  if (!recognition) return { status: 'none' };
  const shipped = catalog.get(recognition.template.name);
  const required = new Set(recognition.template.requiredSections.map(headingKey));
  const bodies = sectionBodies(doc, required, new Set([...required, ...(shipped?.headings ?? [])]));
  const missing = recognition.template.requiredSections.filter((section) => {
    const key = headingKey(section);
    return !isFilled(bodies.get(key), shipped?.placeholders.get(key) ?? NO_PLACEHOLDERS);
  });
  return { status: 'matched', ...recognition, missing };
}
