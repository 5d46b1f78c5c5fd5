import { describe, expect, it } from 'vitest';
import type { Action } from '../../src/rules/actions.js';
import { templateCheck } from '../../src/rules/templateCheck.js';
import type { IssueSubject } from '../../src/rules/types.js';
import { buildContext as baseContext, buildIssueTrigger, buildSubject, defaultConfig, runs, shippedTemplatesOf, type TestContext } from '../helpers/builders.js';
import { ruleRunsOn } from '../../src/engine/runsOn.js';
import { filledTemplate, fillIn, requiredOf, shippedText, withoutMarker } from '../templates/descriptions.js';

const labels = defaultConfig.labels;

/** A context whose `issueTemplates` are the project's shipped copies (or `project`'s). */
function buildContext(ctx: Partial<TestContext> = {}, project?: string): TestContext {
  return project ? baseContext({ ...ctx, facts: { issueTemplates: shippedTemplatesOf(project), ...ctx.facts } }) : baseContext(ctx);
}

function plan(projectKey: string, description: string, ctx: Partial<TestContext> = {}): Action[] {
  const subject = buildSubject(projectKey, { description });
  const context = buildContext(ctx, projectKey);
  expect(runs(templateCheck, subject, context)).toBe(true);
  return templateCheck.plan(subject, context).map((r) => r.action);
}

const added = (actions: Action[]) => actions.flatMap((a) => (a.type === 'addLabels' ? a.labels : []));
const removed = (actions: Action[]) => actions.flatMap((a) => (a.type === 'removeLabels' ? a.labels : []));
const note = (actions: Action[]) => {
  const notes = actions.filter((a) => a.type === 'upsertNote');
  expect(notes.length).toBeLessThanOrEqual(1);
  return notes[0] as Extract<Action, { type: 'upsertNote' }> | undefined;
};

describe.each(defaultConfig.templates.map((t) => [t.name, t] as const))('template-check on %s', (_name, template) => {
  const templateLabel = `${labels.templatePrefix}${template.slug}`;

  it('complete: labels it ready and only edits an existing note to say so', () => {
    const actions = plan(template.project, filledTemplate(template), { trigger: buildIssueTrigger('issue.update', ['description']) });
    expect(added(actions)).toEqual([templateLabel, ...template.labels, labels.ready]);
    expect(removed(actions)).toEqual([labels.templateNone, labels.needsInfo]);
    expect(note(actions)).toMatchObject({ key: 'template-check', onlyIfExists: true });
    expect(note(actions)!.body).toContain('every required section');
  });

  it('complete, on a sweep: looks for a note only where it had asked for something', () => {
    const settled = buildSubject(template.project, { description: filledTemplate(template), labels: [templateLabel, labels.ready] });
    expect(templateCheck.plan(settled, buildContext({}, template.project)).some((r) => r.action.type === 'upsertNote')).toBe(false);
    const asked = buildSubject(template.project, { description: filledTemplate(template), labels: [templateLabel, labels.needsInfo] });
    expect(templateCheck.plan(asked, buildContext({}, template.project)).find((r) => r.action.type === 'upsertNote')?.action).toMatchObject({ onlyIfExists: true });
  });

  it.each(requiredOf(template).map((s) => [s]))('missing "%s": needs-info and a note naming that section only', (section) => {
    const actions = plan(template.project, filledTemplate(template, [section]));
    expect(added(actions)).toEqual([templateLabel, ...template.labels, labels.needsInfo]);
    expect(removed(actions)).toContain(labels.ready);
    const body = note(actions)!.body;
    expect(note(actions)).toMatchObject({ key: 'template-check' });
    expect(note(actions)!.onlyIfExists).toBeFalsy();
    expect(body).toContain(`**${section}**`);
    for (const other of requiredOf(template).filter((s) => s !== section)) expect(body).not.toContain(`**${other}**`);
  });

  it('placeholder-only (the template as shipped): every required section is missing', () => {
    const body = note(plan(template.project, shippedText(template.name)))!.body;
    for (const section of requiredOf(template)) expect(body).toContain(`**${section}**`);
  });

  it('marker removed but headings kept: still recognised, by its headings', () => {
    const subject = buildSubject(template.project, { description: withoutMarker(filledTemplate(template)) });
    const results = templateCheck.plan(subject, buildContext({}, template.project));
    expect(results[0]!.reason).toContain('by its headings');
    expect(added(results.map((r) => r.action))).toEqual([templateLabel, ...template.labels, labels.ready]);
  });

  it('no template: template::none', () => {
    const actions = plan(template.project, 'Please help, something is wrong.');
    expect(added(actions)).toEqual([labels.templateNone]);
    expect(removed(actions)).toContain(templateLabel);
  });

  it('odd Markdown: CRLF, extra spaces, other levels and trailing #s still read as filled sections', () => {
    const answers = requiredOf(template).map((s, i) => `${'#'.repeat(1 + (i % 3))}   ${s.toUpperCase()}   ##  \r\nAnswer ${i}\r\n`);
    const actions = plan(template.project, `<!-- template: ${template.name} -->\r\n${answers.join('\r\n')}`);
    expect(added(actions)).toContain(labels.ready);
  });

  it('odd Markdown: a `## ` line inside a code fence is not the section heading', () => {
    const last = requiredOf(template).at(-1)!;
    const fenced = `${filledTemplate(template, [last])}\n\n## Extra\n\`\`\`\n## ${last}\nfenced text\n\`\`\``;
    const body = note(plan(template.project, fenced))!.body;
    expect(body).toContain(`**${last}**`);
  });
});

describe('template-check: no template', () => {
  it.each(['internal-requests', 'feedback'])('in %s (templates required) posts a note linking each template of the project', (key) => {
    const body = note(plan(key, 'free text'))!;
    expect(body.onlyIfExists).toBeFalsy();
    const names = defaultConfig.templates.filter((t) => t.project === key).map((t) => t.name);
    for (const name of names) {
      expect(body.body).toContain(`[${name}](https://gitlab.example.com/${defaultConfig.projects[key]!.path}/-/issues/new?issuable_template=${encodeURIComponent(name)})`);
    }
    expect(body.body).not.toContain('Support Readiness');
  });

  it("leaves the bot's own published Week in Review issue alone (labels.swir)", () => {
    const review = buildSubject('support-team-meta', { description: '<!-- support-bot:swir-2026-w49 -->\n# Support Week in Review 2026-W49', labels: [labels.swir] });
    expect(runs(templateCheck, review, buildContext())).toBe(false);
    expect(runs(templateCheck, buildSubject('support-team-meta', { description: 'A proposal.' }), buildContext())).toBe(true);
  });

  it('does not ask for a template when the issue is a request for the request form', () => {
    const actions = plan('internal-requests', 'Please extend the grace period for ACME.');
    expect(added(actions)).toEqual([labels.templateNone]);
    expect(note(actions)).toBeUndefined();
  });

  it('in support-team-meta (free-form proposals welcome) only edits an earlier note', () => {
    expect(note(plan('support-team-meta', 'A proposal: let us do X.', { trigger: buildIssueTrigger('issue.update', ['description']) }))).toMatchObject({ onlyIfExists: true });
    expect(note(plan('support-team-meta', 'A proposal: let us do X.'))).toBeUndefined();
  });

  it('takes triage::ready off an issue whose template is gone; needs-info too where templates are optional', () => {
    const contact = defaultConfig.templates.find((t) => t.name === 'Contact Request')!;
    const was = (key: string, triage: string) =>
      templateCheck
        .plan(
          buildSubject(key, { description: 'Rewritten as free text.', labels: [`${labels.templatePrefix}${contact.slug}`, triage] }),
          buildContext({ trigger: buildIssueTrigger('issue.update', ['description']) }),
        )
        .map((r) => r.action);
    expect(removed(was('internal-requests', labels.ready))).toContain(labels.ready);
    expect(removed(was('internal-requests', labels.needsInfo))).not.toContain(labels.needsInfo);
    expect(removed(was('support-team-meta', labels.ready))).toContain(labels.ready);
    expect(removed(was('support-team-meta', labels.needsInfo))).toContain(labels.needsInfo);
  });

  it('handles an empty or missing description', () => {
    expect(added(plan('internal-requests', ''))).toEqual([labels.templateNone]);
    const subject = buildSubject('internal-requests', { description: null as unknown as string });
    expect(() => templateCheck.plan(subject, buildContext())).not.toThrow();
  });

  it('only counts the templates of the issue’s own project', () => {
    const readiness = defaultConfig.templates.find((t) => t.name === 'Support Readiness')!;
    expect(added(plan('internal-requests', filledTemplate(readiness)))).toEqual([labels.templateNone]);
  });
});

describe('template-check: an edit that fills the last section', () => {
  it('keeps the same note key, turns it to complete and swaps needs-info for ready', () => {
    const contact = defaultConfig.templates.find((t) => t.name === 'Contact Request')!;
    const before = plan('internal-requests', filledTemplate(contact, ['Message']));
    const after = plan('internal-requests', fillIn(filledTemplate(contact, ['Message']), { Message: 'Please reply to our ticket.' }), {
      trigger: buildIssueTrigger('issue.update', ['description']),
    });
    expect(note(before)!.key).toBe(note(after)!.key);
    expect(note(before)!.body).toContain('**Message**');
    expect(note(after)!.body).not.toContain('**Message**');
    expect(added(before)).toContain(labels.needsInfo);
    expect(added(after)).toContain(labels.ready);
    expect(removed(after)).toContain(labels.needsInfo);
  });

  it('a ticked checkbox fills a section whose placeholder is unticked boxes', () => {
    const contact = defaultConfig.templates.find((t) => t.name === 'Contact Request')!;
    const ticked = filledTemplate(contact, ['Reason for contact']).replace('- [ ] I blocked this user', '- [x] I blocked this user');
    expect(added(plan('internal-requests', ticked))).toContain(labels.ready);
  });
});

describe('template-check: when it runs', () => {
  const subject: IssueSubject = buildSubject('internal-requests', { description: 'x' });
  it.each([
    [['description'], true],
    [['title'], true],
    [['labels'], true],
    [['assignees', 'updated_at'], false],
    [[], false],
  ])('issue.update changing %j: %s', (changed, expected) => {
    expect(runs(templateCheck, subject, buildContext({ trigger: buildIssueTrigger('issue.update', changed) }))).toBe(expected);
  });

  it('runs on open, reopen and the sweep, not on closed issues', () => {
    expect(Object.keys(templateCheck.runsOn.events)).toEqual(['issue.open', 'issue.reopen', 'issue.update']);
    expect(ruleRunsOn(templateCheck, { kind: 'job', job: 'sweep' })).toBe(true);
    expect(runs(templateCheck, subject, buildContext({ trigger: buildIssueTrigger('issue.open') }))).toBe(true);
    expect(runs(templateCheck, buildSubject('internal-requests', { state: 'closed' }), buildContext())).toBe(false);
  });

  it('survives a huge description', () => {
    const contact = defaultConfig.templates.find((t) => t.name === 'Contact Request')!;
    const huge = filledTemplate(contact) + '\n'.repeat(10) + 'x'.repeat(3_000_000) + '\n## Message\n'.repeat(10_000);
    const started = performance.now();
    expect(added(plan('internal-requests', huge))).toContain(labels.ready);
    expect(performance.now() - started).toBeLessThan(3000);
  });
});

describe('template-check: issues an integration files are not requests', () => {
  const ssat = 'Survey response: 2 of 5.\n\nComment: slow answers.';
  const withIgnored = { ...defaultConfig, sla: { ...defaultConfig.sla, ignoreAuthors: ['zendesk-integration'] } };
  const event = buildIssueTrigger('issue.open');

  it.each([
    { name: 'a listed integration (sla.ignoreAuthors)', author: 'zendesk-integration', config: withIgnored },
    { name: 'a listed integration, other case', author: 'Zendesk-Integration', config: withIgnored },
    { name: 'a project access token', author: 'project_42_bot_9f8e7d6c5b4a39281706f5e4d3c2b1a0', config: defaultConfig },
    { name: 'a group access token', author: 'group_7_bot_abc', config: defaultConfig },
  ])('$name: no labels, no note, on list data alone', ({ author, config }) => {
    const subject = buildSubject('feedback', { description: ssat, author: { id: 70, username: author } });
    expect(runs(templateCheck, subject, buildContext({ config, trigger: event }))).toBe(false);
  });

  it.each([
    { name: 'a person', author: 'sam-sales' },
    { name: 'a person whose name only looks like an access token', author: 'project_manager_bot' },
    { name: 'an unlisted account with the default config', author: 'zendesk-integration' },
  ])("$name: people's issues in feedback are still checked", ({ author }) => {
    const subject = buildSubject('feedback', { description: ssat, author: { id: 72, username: author } });
    const ctx = buildContext({ trigger: event });
    expect(runs(templateCheck, subject, ctx)).toBe(true);
    const actions = templateCheck.plan(subject, ctx).map((r) => r.action);
    expect(added(actions)).toEqual([labels.templateNone]);
    expect(note(actions)?.body).toMatch(/Indirect Feedback/);
  });

  it('an Indirect Feedback issue by a person gets its template checked', () => {
    const feedback = defaultConfig.templates.find((t) => t.name === 'Indirect Feedback')!;
    const actions = plan('feedback', filledTemplate(feedback, ['Source']), { trigger: event });
    expect(added(actions)).toContain(labels.needsInfo);
    expect(note(actions)?.body).toMatch(/\*\*Source\*\*/);
  });
});

describe('template-check: a request redirected to the request form', () => {
  const contact = defaultConfig.templates.find((t) => t.name === 'Contact Request')!;
  const asking = fillIn(shippedText('Contact Request'), { Username: 'acme-admin', 'Reason for contact': 'Please extend their trial by a month.', Message: 'Hello.' });

  it.each([
    { name: 'its description asks for a trial extension', description: asking, labelled: false },
    { name: 'labelled redirect::request-form', description: filledTemplate(contact), labelled: true },
  ])('$name: its template label, never triage::ready, nothing to fill in', ({ description, labelled }) => {
    const subject = buildSubject('internal-requests', { description, labels: labelled ? [labels.redirectRequestForm] : [] });
    const actions = templateCheck.plan(subject, buildContext({ trigger: buildIssueTrigger('issue.open') })).map((r) => r.action);
    expect(added(actions)).toEqual([`${labels.templatePrefix}contact-request`]);
    expect(removed(actions)).toEqual([labels.templateNone, labels.ready, labels.needsInfo]);
    expect(note(actions)).toBeUndefined();
  });

  it('"Contact user: trial namespace abusing shared runners", complete: ready, not redirected', () => {
    const description = fillIn(shippedText('Contact Request'), {
      Username: 'trial-runner-42',
      'Reason for contact': 'Their trial namespace runs crypto miners on shared runners.',
      Message: 'Your trial namespace was blocked for abusing shared runners.',
    });
    const subject = buildSubject('internal-requests', { title: 'Contact user: trial namespace abusing shared runners', description });
    const actions = templateCheck.plan(subject, buildContext({ trigger: buildIssueTrigger('issue.open') })).map((r) => r.action);
    expect(added(actions)).toEqual([`${labels.templatePrefix}contact-request`, labels.ready]);
  });
});
