import type { BotConfig } from '../config/schema.js';
import type { IssueSubject } from '../rules/types.js';
import { checkTemplate } from './check.js';
import { matchedKeywords } from './keywords.js';
import { parseMarkdown } from './markdown.js';
import type { ProjectTemplate } from './projectTemplates.js';

/** What the author wrote: title and description without HTML comments (template guidance lives there). */
function visibleText(title: string, description: string): string {
  return [title, ...parseMarkdown(description).lines.map((line) => line.text)].join('\n');
}

/**
 * The request-form keywords an issue of the request-form project mentions: a
 * licensing, subscription, trial or grace-period request. Empty elsewhere.
 *
 * An issue that follows one of the project's templates is that kind of request (a
 * Contact Request, a Name Squatting Request): only its title can say it is a licensing
 * request instead. Its sections are the template's answers, and a message to a user that
 * mentions their subscription or trial does not make the request one for the form.
 */
export function requestFormKeywords(subject: IssueSubject, config: BotConfig, templates: readonly ProjectTemplate[]): string[] {
  if (subject.project.key !== config.requestForm.project) return [];
  const { title } = subject.issue;
  const description = subject.issue.description ?? '';
  const templated = checkTemplate(description, templates, config.templateRecognition).status === 'matched';
  return matchedKeywords(templated ? title : visibleText(title, description), config.requestForm.keywords);
}
