import type { BotConfig, TemplateConfig } from '../config/schema.js';

/** The configured templates of one project, in config order. */
export function projectTemplates(config: BotConfig, projectKey: string): TemplateConfig[] {
  return config.templates.filter((t) => t.project === projectKey);
}

/** GitLab's "new issue from this template" link. */
export function newIssueUrl(projectWebUrl: string, templateName: string): string {
  return `${projectWebUrl.replace(/\/+$/, '')}/-/issues/new?issuable_template=${encodeURIComponent(templateName)}`;
}
