import { headingKey, type MarkdownDocument } from './markdown.js';
import { markerNames, sameTemplateName } from './marker.js';
import type { ProjectTemplate } from './projectTemplates.js';

// Which template an issue used: its marker first; when the marker is gone (copied,
// edited away), the template whose required headings are mostly there.

export interface RecognitionSettings {
  /** Share of a template's required headings that must be present, 0-1. */
  minShare: number;
  /** ...and at least this many (or all, for a template with fewer). */
  minHeadings: number;
}

export interface Recognition {
  template: ProjectTemplate;
  via: 'marker' | 'headings';
}

/** Required headings that must be present for a heading match. */
export function headingsNeeded(required: number, settings: RecognitionSettings): number {
  // The epsilon keeps 0.6 × 5 (= 3.0000000000000004) at 3.
  return Math.max(Math.min(settings.minHeadings, required), Math.ceil(settings.minShare * required - 1e-9));
}

/**
 * Only `candidates` count (the templates of the project). Among heading
 * matches the highest share of required headings wins, then the highest count;
 * a tie on both means no match, as guessing would label the issue wrongly.
 */
export function recognizeTemplate(doc: MarkdownDocument, candidates: readonly ProjectTemplate[], settings: RecognitionSettings): Recognition | undefined {
  for (const name of markerNames(doc)) {
    const template = candidates.find((c) => sameTemplateName(c.config.name, name));
    if (template) return { template, via: 'marker' };
  }
  const present = new Set(doc.lines.flatMap((line) => (line.heading ? [line.heading.key] : [])));
  let best: { template: ProjectTemplate; share: number; found: number } | undefined;
  let tied = false;
  for (const template of candidates) {
    const required = new Set((template.file?.required ?? []).map(headingKey));
    if (required.size === 0) continue;
    const found = [...required].filter((key) => present.has(key)).length;
    if (found < headingsNeeded(required.size, settings)) continue;
    const share = found / required.size;
    if (!best || share > best.share || (share === best.share && found > best.found)) {
      best = { template, share, found };
      tied = false;
    } else if (share === best.share && found === best.found) {
      tied = true;
    }
  }
  return best && !tied ? { template: best.template, via: 'headings' } : undefined;
}
