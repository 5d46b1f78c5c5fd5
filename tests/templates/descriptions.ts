import type { TemplateConfig } from '../../src/config/schema.js';
import { shippedTemplates } from '../../src/templates/shipped.js';

// Issue descriptions made from the shipped templates, as an author would fill them in.

export function shippedText(name: string): string {
  const shipped = shippedTemplates.get(name);
  if (!shipped) throw new Error(`no shipped template "${name}"`);
  return shipped.text;
}

/** The template's text with `answers[heading]` written on the line after each `## heading`. */
export function fillIn(text: string, answers: Record<string, string>): string {
  return text
    .split('\n')
    .flatMap((line) => {
      const heading = /^## (.+)$/.exec(line)?.[1];
      return heading !== undefined && answers[heading] !== undefined ? [line, answers[heading]] : [line];
    })
    .join('\n');
}

/** The required sections of a configured template's shipped copy (its `##` headings not marked optional). */
export function requiredOf(template: Pick<TemplateConfig, 'name'>): string[] {
  const shipped = shippedTemplates.get(template.name);
  if (!shipped) throw new Error(`no shipped template "${template.name}"`);
  return shipped.required;
}

/** Every required section answered, except those in `empty`. */
export function filledTemplate(template: TemplateConfig, empty: readonly string[] = []): string {
  const answers = Object.fromEntries(
    requiredOf(template)
      .filter((s) => !empty.includes(s))
      .map((s) => [s, `Answer for ${s}.`]),
  );
  return fillIn(shippedText(template.name), answers);
}

/** The description without its first line, the `<!-- template: … -->` marker. */
export function withoutMarker(text: string): string {
  return text.split('\n').slice(1).join('\n');
}
