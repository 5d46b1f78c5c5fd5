import type { GitLabGateway } from '../gitlab/types.js';
import { TemplateSource, type ProjectTemplate } from '../templates/projectTemplates.js';
import { shippedTemplates } from '../templates/shipped.js';
import { defineFact } from './define.js';

// The templates of the subject's project, read from its `.gitlab/issue_templates/` through
// the bot's TemplateSource (cached in `serve`, read once per scheduled run).

const SOURCES = new WeakMap<object, TemplateSource>();

/** The bot registers its source (with its logger and clock) for its gateway. */
export function registerTemplateSource(gateway: object, source: TemplateSource): void {
  SOURCES.set(gateway, source);
}

function sourceFor(gateway: GitLabGateway): TemplateSource {
  let source = SOURCES.get(gateway);
  if (!source) {
    source = new TemplateSource(gateway, { catalog: shippedTemplates });
    SOURCES.set(gateway, source);
  }
  return source;
}

export const issueTemplatesFact = defineFact({
  description: "the configured templates of the issue's project, from its .gitlab/issue_templates/ (else the shipped copy)",
  scope: 'run',
  param: (subject) => subject.project,
  key: (project) => String(project.id),
  load: (project, { gateway, config }): Promise<ProjectTemplate[]> => sourceFor(gateway).templates(config, project),
});
