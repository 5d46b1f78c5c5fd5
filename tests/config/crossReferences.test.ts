import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, parseConfig } from '../../src/config/load.js';
import { configSection } from '../../src/config/section.js';
import { allRules } from '../../src/rules/index.js';
import { greetRule } from '../helpers/testRules.js';

// Issue 21, case 13: a key that names something else in the file (a project, a template by
// name or slug, a job) and names nothing, or two values that collide, is a config error
// naming the key: `config validate` exits 2 instead of the rule silently doing nothing.

const base = () => ({
  projects: {
    feedback: { path: 'gitlab-com/support/feedback' },
    'internal-requests': { path: 'gitlab-com/support/internal-requests' },
    'support-team-meta': { path: 'gitlab-com/support/meta' },
  },
  templates: [
    { name: 'Contact Request', slug: 'contact-request', project: 'internal-requests' },
    { name: 'Support Readiness', slug: 'support-readiness', project: 'support-team-meta' },
  ],
});
type Raw = ReturnType<typeof base> & Record<string, unknown>;

/** A rule with a section that names a template by name, as a rule declares it (`configSection(…, { templateKeys })`). */
const templateRule = {
  ...greetRule,
  key: 'uses-template',
  config: configSection('usesTemplate', z.strictObject({ template: z.string().default('Contact Request') }), { templateKeys: ['template'] }),
};

function problems(edit: (raw: Raw) => void, rules = [...allRules, templateRule]): string[] {
  const raw = base() as Raw;
  edit(raw);
  try {
    parseConfig(raw, '(test)', rules);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('config references and collisions', () => {
  it('the base config is valid', () => {
    expect(problems(() => {})).toEqual([]);
  });

  it.each<[string, (raw: Raw) => void, RegExp]>([
    ['requestForm.project naming no project', (r) => (r.requestForm = { project: 'nowhere' }), /^requestForm\.project: unknown project "nowhere"/],
    ['swir.project naming no project', (r) => (r.swir = { project: 'nowhere' }), /^swir\.project: unknown project "nowhere"/],
    ['swir.requestsProject naming no project', (r) => (r.swir = { requestsProject: 'nowhere' }), /^swir\.requestsProject: unknown project "nowhere"/],
    [
      'swir.readinessTemplate naming no template slug of swir.project',
      (r) => (r.swir = { readinessTemplate: 'readiness' }),
      /^swir\.readinessTemplate: unknown template slug in swir\.project "support-team-meta" "readiness" \(known: support-readiness\)/,
    ],
    ["swir.readinessTemplate naming another project's template", (r) => (r.swir = { readinessTemplate: 'contact-request' }), /^swir\.readinessTemplate: unknown template slug/],
    [
      'a rule section naming a template by a name no template has',
      (r) => (r.usesTemplate = { template: 'Contact request' }),
      /^usesTemplate\.template: unknown template "Contact request" \(known: Contact Request, Support Readiness\)/,
    ],
    [
      'dormant.template naming no template (the dormant rule would never see a request)',
      (r) => (r.dormant = { template: 'Name squatting request' }),
      /^dormant\.template: unknown template "Name squatting request" \(known: Contact Request, Support Readiness\)/,
    ],
    [
      'rules.<rule>.projects naming no project',
      (r) => (r.rules = { 'uses-template': { projects: ['nowhere'] } }),
      /^rules\.uses-template\.projects\[0\]: unknown project "nowhere"/,
    ],
    [
      'two project keys with one path',
      (r) => (r.projects['support-team-meta'] = { path: 'gitlab-com/support/feedback' }),
      /^projects\.support-team-meta\.path: project "gitlab-com\/support\/feedback" is also projects\.feedback\.path/,
    ],
    [
      'two project keys with one path, written in another case',
      (r) => (r.projects['support-team-meta'] = { path: 'GitLab-com/Support/Feedback' }),
      /^projects\.support-team-meta\.path: project .* is also projects\.feedback\.path/,
    ],
    [
      'two templates with one name',
      (r) => r.templates.push({ ...r.templates[0]!, slug: 'other' }),
      /^templates\[2\]\.name: template name "Contact Request" is also templates\[0\]\.name/,
    ],
    [
      'two templates of one project with one slug',
      (r) => r.templates.push({ ...r.templates[0]!, name: 'Other' }),
      /^templates\[2\]\.slug: slug in project "internal-requests" "contact-request" is also templates\[0\]\.slug/,
    ],
    ['two labels keys with one label', (r) => (r.labels = { ready: 'triage::needs-info' }), /^labels\.ready: label "triage::needs-info" is also labels\.needsInfo/],
    [
      "a template's label colliding with a labels key",
      (r) => r.templates.push({ name: 'None', slug: 'none', project: 'feedback' }),
      /^templates\[2\]\.slug: label "template::none" is also labels\.templateNone/,
    ],
    [
      'a schedule for an unknown job',
      (r) => (r.schedules = { jobs: { sweep: '*/30 * * * *', sweeps: '0 * * * *' } }),
      /^schedules\.jobs\.sweeps: unknown job \(jobs: sweep, sla, dormant, swir\)/,
    ],
  ])('%s', (_name, edit, expected) => {
    const found = problems(edit);
    expect(found).toEqual([expect.stringMatching(expected)]);
  });

  it('the same slug in two projects is fine (their labels live in different projects)', () => {
    expect(problems((r) => r.templates.push({ name: 'Feedback readiness', slug: 'support-readiness', project: 'feedback' }))).toEqual([]);
  });
});
