import type { MarkdownDocument } from './markdown.js';

// `<!-- template: Contact Request -->`: the invisible first line of every shipped template.

const PREFIX = 'template:';

/** The template name a comment names, if it is a template marker. */
export function markerName(comment: string): string | undefined {
  const text = comment.trim();
  if (text.length > 200 || text.includes('\n') || text.slice(0, PREFIX.length).toLowerCase() !== PREFIX) return undefined;
  const name = text.slice(PREFIX.length).trim();
  return name.length > 0 ? name : undefined;
}

/** Every template name the document's markers give, in order. */
export function markerNames(doc: MarkdownDocument): string[] {
  return doc.comments.map(markerName).filter((name): name is string => name !== undefined);
}

/** Names compared the way people retype them: case and spacing do not matter. */
export function sameTemplateName(a: string, b: string): boolean {
  const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();
  return norm(a) === norm(b);
}
