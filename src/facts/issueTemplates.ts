import { readProjectTemplates, TEMPLATE_CACHE_MS, type ProjectTemplate } from '../templates/projectTemplates.js';
import { shippedTemplates } from '../templates/shipped.js';
import { defineFact } from './define.js';

/**
 * The configured templates of the subject's project, from its `.gitlab/issue_templates/` (else
 * the shipped copy, with a warning). Read once per scheduled run; `serve` keeps them five
 * minutes (`keepMs`) and forgets them when a merge request is merged in the project.
 */
export const issueTemplatesFact = defineFact({
  description: "the configured templates of the issue's project, from its .gitlab/issue_templates/ (else the shipped copy)",
  scope: 'run',
  keepMs: TEMPLATE_CACHE_MS,
  param: (subject) => subject.project,
  key: (project) => String(project.id),
  load: (project, { gateway, config, warn }): Promise<ProjectTemplate[]> => readProjectTemplates(gateway, config, project, shippedTemplates, warn),
});
