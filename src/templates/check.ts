import type { TemplateConfig } from '../config/schema.js';
import { headingKey, parseMarkdown } from './markdown.js';
import type { ProjectTemplate } from './projectTemplates.js';
import { recognizeTemplate, type RecognitionSettings } from './recognize.js';
import { isFilled, sectionBodies } from './sections.js';

export type TemplateCheck =
  | { status: 'none' }
  | {
      status: 'matched';
      template: TemplateConfig;
      via: 'marker' | 'headings';
      /** Where the required sections came from: the project's own file or the shipped copy. */
      source: ProjectTemplate['source'];
      /** Required sections still empty, as the template file writes them. */
      missing: string[];
    };

const NO_PLACEHOLDERS: ReadonlySet<string> = new Set();

/** Headings a bold line may stand for: the candidates' files' own headings. */
function knownHeadings(candidates: readonly ProjectTemplate[]): Set<string> {
  const known = new Set<string>();
  for (const template of candidates) for (const key of template.file?.headings ?? []) known.add(key);
  return known;
}

/** Which of the project's templates the description follows, and which of its required sections are empty. */
export function checkTemplate(description: string, candidates: readonly ProjectTemplate[], settings: RecognitionSettings): TemplateCheck {
  const doc = parseMarkdown(description, knownHeadings(candidates));
  const recognition = recognizeTemplate(doc, candidates, settings);
  if (!recognition) return { status: 'none' };
  const { file, config, source } = recognition.template;
  const requiredSections = file?.required ?? [];
  const required = new Set(requiredSections.map(headingKey));
  const bodies = sectionBodies(doc, required, new Set([...required, ...(file?.headings ?? [])]));
  const missing = requiredSections.filter((section) => {
    const key = headingKey(section);
    return !isFilled(bodies.get(key), file?.placeholders.get(key) ?? NO_PLACEHOLDERS);
  });
  return { status: 'matched', template: config, via: recognition.via, source, missing };
}
