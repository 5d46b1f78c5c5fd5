import type { BotConfig } from '../config/schema.js';
import type { IssueSubject } from '../subjects.js';
import { checkTemplate } from './check.js';
import { matchedKeywords } from './keywords.js';
import { parseMarkdown } from './markdown.js';
import { resolveProjectTemplates, type ProjectTemplate } from './projectTemplates.js';
import { shippedTemplates } from './shipped.js';

/** Why an issue belongs in the request form: the keywords found, and where. */
export interface RequestFormMatch {
  keywords: string[];
  /** `template`: its template is a licensing or subscription one; `body`: its description asks for one; `text`: a free-form issue mentions one. */
  via: 'template' | 'body' | 'text';
  /** The template the issue follows, for `template` and `body`. */
  template?: string;
}

/** What the author wrote, without HTML comments (template guidance lives there). */
function visibleLines(description: string): string[] {
  return parseMarkdown(description).lines.map((line) => line.text);
}

/** Sentences of the visible description: a line break or a full stop ends one. */
function sentences(description: string): string[] {
  return visibleLines(description).flatMap((line) => line.split(/(?<=[.!?])\s+/));
}

/**
 * Does an issue of the request-form project belong in the internal request form (a
 * licensing, subscription, trial or grace-period request)? Undefined when it does not,
 * and always elsewhere.
 *
 * A free-form issue does when its title or description mentions one of the keywords. An
 * issue that follows one of the project's templates (a Contact Request, a Name Squatting
 * Request) is that kind of request, so its title and the words of its answers are not
 * enough ("Contact user: trial namespace abusing shared runners" is a Contact Request): it
 * does only when the template itself is about licensing (its name has a keyword) or a
 * sentence of its description asks for one (a keyword and one of `requestForm.askingWords`:
 * "please extend the customer's trial").
 */
export function requestFormMatch(
  subject: IssueSubject,
  config: BotConfig,
  // The project's own templates (the `issueTemplates` fact); without them, the shipped copies.
  templates: readonly ProjectTemplate[] = resolveProjectTemplates(config, subject.project.key, new Map(), shippedTemplates),
): RequestFormMatch | undefined {
  const { requestForm } = config;
  if (subject.project.key !== requestForm.project) return undefined;
  const description = subject.issue.description ?? '';
  const check = checkTemplate(description, templates, config.templateRecognition);
  if (check.status === 'none') {
    const keywords = matchedKeywords([subject.issue.title, ...visibleLines(description)].join('\n'), requestForm.keywords);
    return keywords.length > 0 ? { keywords, via: 'text' } : undefined;
  }
  const byName = matchedKeywords(check.template.name, requestForm.keywords);
  if (byName.length > 0) return { keywords: byName, via: 'template', template: check.template.name };
  const asking = sentences(description).filter((sentence) => matchedKeywords(sentence, requestForm.askingWords).length > 0);
  const keywords = matchedKeywords(asking.join('\n'), requestForm.keywords);
  return keywords.length > 0 ? { keywords, via: 'body', template: check.template.name } : undefined;
}
