import { z } from 'zod';
import { configSection } from '../config/section.js';
import { checkTemplate } from '../templates/check.js';
import { newIssueUrl, projectTemplates } from '../templates/links.js';
import type { ProjectTemplate } from '../templates/projectTemplates.js';
import { requestFormMatch } from '../templates/requestForm.js';
import { integrationByName } from '../sla/integrations.js';
import { namedLabels, templateLabels } from '../config/labelUses.js';
import { issueRule, type BaseContext, type IssueSubject, type RuleResult } from './types.js';

/** When an issue whose template marker is gone still counts as that template, by its headings. */
const templateRecognitionSchema = z.strictObject({
  /** Share of the template's required headings that must be present. */
  minShare: z.number().gt(0).max(1).default(0.6),
  /** ...and at least this many (all of them for a template with fewer). */
  minHeadings: z.number().int().min(1).default(2),
});

/** This rule's section of the config file, `templateRecognition:`. */
export const templateRecognitionConfig = configSection('templateRecognition', templateRecognitionSchema);

declare module '../config/schema.js' {
  interface RuleConfigs {
    templateRecognition: z.output<typeof templateRecognitionSchema>;
  }
}

const NOTE_KEY = 'template-check';

/**
 * Could this issue carry a note of ours to bring up to date? Always worth a look on a
 * webhook (one issue); on a sweep only where we asked for something (needs-info), so
 * the sweep does not read the notes of every settled issue on every run.
 */
function mayHaveNote(subject: IssueSubject, ctx: BaseContext<never>): boolean {
  return ctx.trigger.kind === 'event' || subject.issue.labels.includes(ctx.config.labels.needsInfo);
}

function planNoTemplate(subject: IssueSubject, ctx: BaseContext<'template-none'>, projectFiles: readonly ProjectTemplate[]): RuleResult[] {
  const { labels } = ctx.config;
  const templates = projectTemplates(ctx.config, subject.project.key);
  const required = subject.project.config.templatesRequired;
  const results: RuleResult[] = [
    { action: { type: 'addLabels', labels: [labels.templateNone] }, reason: 'no template recognised' },
    {
      // No template, no filled sections: `triage::ready` no longer holds. Where templates are
      // optional there is nothing to ask for either, so `triage::needs-info` goes too; where they
      // are required the issue still waits on its author (the note says for what).
      action: {
        type: 'removeLabels',
        labels: [...templates.map((t) => `${labels.templatePrefix}${t.slug}`), labels.ready, ...(required ? [] : [labels.needsInfo])],
      },
      reason: 'no template recognised',
    },
  ];
  // A request that belongs in the request form gets that answer (request-form-redirect), not a template to fill.
  if (templates.length === 0 || requestFormMatch(subject, ctx.config, projectFiles)) return results;
  if (!required && !mayHaveNote(subject, ctx)) return results;
  const body = ctx.render.render('template-none', {
    required,
    templates: templates.map((t) => ({ name: t.name, url: newIssueUrl(subject.project.webUrl, t.name) })),
  });
  // Where templates are optional, only an earlier note (from when it had one) is brought up to date.
  results.push({
    action: required ? { type: 'upsertNote', key: NOTE_KEY, body } : { type: 'upsertNote', key: NOTE_KEY, body, onlyIfExists: true },
    reason: required ? 'templates are required in this project' : 'keep an earlier template note current',
  });
  return results;
}

/**
 * The template-check rule. Required sections come from the project's own template files
 * (`issueTemplates`: `.gitlab/issue_templates/`, else the shipped copy), whose lines are
 * placeholders: a template improved in the project is followed with no config change.
 */
export const templateCheck = issueRule({
  key: 'template-check',
  description: 'Recognises the issue template, labels the issue and asks for empty required sections in one note',
  config: templateRecognitionConfig,
  messages: {
    'template-complete': [{ template: 'Contact Request' }],
    'template-missing-sections': [
      { template: 'Contact Request', missing: ['Username'], single: true },
      { template: 'Contact Request', missing: ['Username', 'Message'], single: false },
    ],
    'template-none': [
      { required: true, templates: [{ name: 'Contact Request', url: 'https://gitlab.example/new' }] },
      {
        required: false,
        templates: [
          { name: 'Support Readiness', url: 'https://gitlab.example/new?a' },
          { name: 'Support Shadow Program', url: 'https://gitlab.example/new?b' },
        ],
      },
    ],
  },
  runsOn: {
    // An update matters only when it can change the recognised template, its sections or our labels.
    events: { 'issue.open': 'always', 'issue.reopen': 'always', 'issue.update': ['title', 'description', 'labels'] },
    jobs: ['sweep'],
    projects: (project, config) => project.config.templatesRequired || projectTemplates(config, project.key).length > 0,
  },
  labels: (config, projectKey) => [...namedLabels(config, 'templateNone', 'needsInfo', 'ready'), ...templateLabels(config, projectKey)],
  needs: ['issueTemplates'],
  // The published Week in Review issues (labels.swir) are the bot's own, and issues an integration files (SSAT
  // survey responses in `feedback`: `sla.ignoreAuthors`, access tokens) are not requests: no template to ask
  // for. By name only, so a webhook or a sweep reads nothing more per issue; GitLab's `bot` flag, one read per
  // author, is for the first-response clock.
  applies: (subject, ctx) =>
    subject.issue.state === 'opened' && !subject.issue.labels.includes(ctx.config.labels.swir) && integrationByName(subject.issue.author, ctx.config) === undefined,
  plan(subject, ctx) {
    const { labels } = ctx.config;
    const candidates = ctx.facts.issueTemplates;
    const check = checkTemplate(subject.issue.description ?? '', candidates, ctx.config.templateRecognition);
    if (check.status === 'none') return planNoTemplate(subject, ctx, candidates);

    const { template, missing } = check;
    const complete = missing.length === 0;
    const copy = check.source === 'shipped' ? ", the bot's copy: the project has no template file" : '';
    const found = `"${template.name}" (by ${check.via === 'marker' ? 'its marker' : 'its headings'}${copy})`;
    const reason = complete ? `${found}: every required section is filled` : `${found}: empty ${missing.join(', ')}`;
    // A request that goes to the request form is not triaged here: never `triage::ready`, nothing to fill in.
    if (subject.issue.labels.includes(labels.redirectRequestForm) || requestFormMatch(subject, ctx.config, candidates)) {
      const redirected = `${found}: redirected to the request form`;
      return [
        { action: { type: 'addLabels', labels: [`${labels.templatePrefix}${template.slug}`, ...template.labels] }, reason: redirected },
        { action: { type: 'removeLabels', labels: [labels.templateNone, labels.ready, labels.needsInfo] }, reason: redirected },
      ];
    }
    const results: RuleResult[] = [
      {
        action: { type: 'addLabels', labels: [`${labels.templatePrefix}${template.slug}`, ...template.labels, complete ? labels.ready : labels.needsInfo] },
        reason,
      },
      { action: { type: 'removeLabels', labels: [labels.templateNone, complete ? labels.needsInfo : labels.ready] }, reason },
    ];
    if (complete) {
      // Edits the note that asked for sections; an issue complete at birth gets none.
      if (!mayHaveNote(subject, ctx)) return results;
      const body = ctx.render.render('template-complete', { template: template.name });
      results.push({ action: { type: 'upsertNote', key: NOTE_KEY, body, onlyIfExists: true }, reason });
    } else {
      const body = ctx.render.render('template-missing-sections', { template: template.name, missing, single: missing.length === 1 });
      results.push({ action: { type: 'upsertNote', key: NOTE_KEY, body }, reason });
    }
    return results;
  },
});
