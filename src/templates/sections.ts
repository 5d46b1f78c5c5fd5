import type { MarkdownDocument, MarkdownLine } from './markdown.js';

// Sections of a description and whether they hold anything beyond the template's own text.

/**
 * The body lines under each wanted heading (by key). A section runs until the next
 * heading of the same or a higher level, or the next heading in `boundaries` (the
 * template's own headings, whatever level the author gave them); deeper headings the
 * author added inside it belong to it. A heading used twice gets both bodies.
 */
export function sectionBodies(doc: MarkdownDocument, wanted: ReadonlySet<string>, boundaries: ReadonlySet<string> = wanted): Map<string, MarkdownLine[]> {
  const bodies = new Map<string, MarkdownLine[]>();
  let current: { body: MarkdownLine[]; level: number } | null = null;
  for (const line of doc.lines) {
    const heading = line.heading;
    if (heading) {
      if (current && (heading.level <= current.level || boundaries.has(heading.key) || wanted.has(heading.key))) current = null;
      if (wanted.has(heading.key)) {
        const body = bodies.get(heading.key) ?? [];
        bodies.set(heading.key, body);
        current = { body, level: heading.level };
        continue;
      }
    }
    current?.body.push(line);
  }
  return bodies;
}

/** How a body line is compared with the template's placeholder lines. */
export function placeholderKey(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

const HAS_TEXT = /[\p{L}\p{N}]/u;

/** Lines that say something: a letter or a digit, and not a code fence delimiter. */
export function meaningfulLines(body: readonly MarkdownLine[]): string[] {
  return body.filter((line) => !line.fence && HAS_TEXT.test(line.text)).map((line) => placeholderKey(line.text));
}

/** A section is filled when a line of it is neither whitespace, comment, nor one of the template's placeholder lines. */
export function isFilled(body: readonly MarkdownLine[] | undefined, placeholders: ReadonlySet<string>): boolean {
  return body !== undefined && meaningfulLines(body).some((line) => !placeholders.has(line));
}
