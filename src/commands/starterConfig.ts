import { Document } from 'yaml';
import { configSchemaFor } from '../config/schema.js';
import { allRules } from '../rules/index.js';
import type { TemplateCatalog } from '../templates/catalog.js';

// `support-bot init`: a starter configuration for the user's own group. Every label,
// template and schedule is written out (the defaults are GitLab Support's own setup, so
// nothing is left to them that names gitlab-com/support).

export interface StarterOptions {
  /** The user's group, `my-org/support`. */
  group: string;
  /** Project paths below the group (`requests`), or full paths. */
  projects: readonly string[];
  gitlabUrl: string;
  catalog: TemplateCatalog;
}

/** A project's key in the config: its path's last segment, kebab-case. */
export function projectKey(path: string): string {
  return (
    path
      .split('/')
      .at(-1)!
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'project'
  );
}

const fullPath = (group: string, project: string) => (project.includes('/') ? project : `${group}/${project}`);

/** The starter config as YAML, with a comment on each section saying what to change. */
export function starterConfig(options: StarterOptions): string {
  const defaults = configSchemaFor(allRules).parse({ projects: { placeholder: { path: 'a/b' } } });
  const paths = options.projects.map((p) => fullPath(options.group, p));
  const keys = paths.map(projectKey);
  const intake = keys[0]!;
  const instance = options.gitlabUrl.replace(/\/+$/, '');
  const templates = [...options.catalog.values()].map((t) => ({
    name: t.name,
    slug: t.name.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
    project: intake,
    ...(t.name === 'Contact Request' || t.name === 'Name Squatting Request' ? { firstResponseHours: 12 } : {}),
  }));
  const config = {
    gitlab: { url: instance },
    // No messagesDir: the shipped wording, wherever the bot is installed and whatever version it is.
    bot: { maxWritesPerRun: defaults.bot.maxWritesPerRun },
    projects: Object.fromEntries(paths.map((path, i) => [keys[i], { path, templatesRequired: false }])),
    labels: defaults.labels,
    templates,
    templateRecognition: defaults.templateRecognition,
    requestForm: { project: intake, url: `${instance}/${paths[0]}/-/issues/new`, keywords: defaults.requestForm.keywords },
    activeNow: { ...defaults.activeNow, project: intake },
    sensitiveData: defaults.sensitiveData,
    sla: { ...defaults.sla, teamGroup: options.group },
    dormant: { ...defaults.dormant, template: templates.some((t) => t.name === defaults.dormant.template) ? defaults.dormant.template : templates[0]?.name },
    swir: { ...defaults.swir, project: intake, requestsProject: intake },
    approvals: {
      ...defaults.approvals,
      scope: keys.map((key) => ({ project: key, paths: ['.gitlab/issue_templates/**'] })),
      approverGroups: [options.group],
    },
    schedules: { timezone: defaults.schedules.timezone, jobs: defaults.schedules.jobs },
  };
  const doc = new Document(config);
  doc.commentBefore = [
    ` support-bot configuration for ${options.group} (written by \`support-bot init\`).`,
    ' Secrets come from the environment only: GITLAB_TOKEN, GITLAB_WEBHOOK_SECRET. GITLAB_URL overrides gitlab.url.',
    ' Next: npx support-bot config validate --remote, npx support-bot labels sync, npx support-bot run sweep --dry-run.',
  ].join('\n');
  const comment = (key: string, text: string) => {
    const node = doc.get(key, true) as { commentBefore?: string } | undefined;
    const pair = (doc.contents as { items: { key: { commentBefore?: string; value: string } }[] }).items.find((item) => item.key.value === key);
    if (pair) pair.key.commentBefore = ` ${text}`;
    else if (node) node.commentBefore = ` ${text}`;
  };
  comment(
    'bot',
    'Comments use the wording shipped with the bot (it follows upgrades). To change it, copy the shipped config/messages folder next to this file and add `messagesDir: messages` here; a later version may add templates the copy must gain.',
  );
  comment('projects', 'templatesRequired: true asks for a template on every issue; public: true protects a tracker GitLab does not show as public.');
  comment(
    'templates',
    `Checked against each project's .gitlab/issue_templates/<name>.md (\`## Heading\` required, \`## Heading (optional)\` not); \`npx support-bot templates sync\` proposes the shipped ones. Move each to the project that uses it.`,
  );
  comment('requestForm', 'Where licensing and subscription requests belong: point url at your own form.');
  comment('sensitiveData', "disclosureUrl: your organisation's responsible disclosure policy.");
  comment('sla', 'teamGroup: whose comments count as a first response.');
  comment('approvals', 'approverGroups: narrow to the group of those who may approve template and process changes.');
  comment('schedules', '`npx support-bot schedules sync --project <the bot project>` turns these into pipeline schedules.');
  return doc.toString({ lineWidth: 0 });
}
