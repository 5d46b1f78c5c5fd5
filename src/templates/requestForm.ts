import type { BotConfig } from '../config/schema.js';
import type { IssueSubject } from '../rules/types.js';
import { matchedKeywords } from './keywords.js';
import { parseMarkdown } from './markdown.js';

/** What the author wrote: title and description without HTML comments (template guidance lives there). */
function visibleText(title: string, description: string): string {
  return [title, ...parseMarkdown(description).lines.map((line) => line.text)].join('\n');
}

/**
 * The request-form keywords an issue of the request-form project mentions: a
 * licensing, subscription, trial or grace-period request. Empty elsewhere.
 */
export function requestFormKeywords(subject: IssueSubject, config: BotConfig): string[] {
  if (subject.project.key !== config.requestForm.project) return [];
  return matchedKeywords(visibleText(subject.issue.title, subject.issue.description ?? ''), config.requestForm.keywords);
}
