import { describe, expect, it } from 'vitest';
import type { Action } from '../../src/rules/actions.js';
import { requestFormRedirect } from '../../src/rules/requestFormRedirect.js';
import { buildContext, buildIssueTrigger, buildSubject, defaultConfig, evaluate, runs } from '../helpers/builders.js';
import { filledTemplate, fillIn, shippedText, withoutMarker } from '../templates/descriptions.js';

const plan = (title: string, description = '', project = 'internal-requests'): Action[] => {
  const subject = buildSubject(project, { title, description });
  const ctx = buildContext();
  return evaluate(requestFormRedirect, subject, ctx).map((r) => r.action);
};

describe('request-form-redirect', () => {
  it.each([
    ['Extend the trial for ACME', ''],
    ['Customer needs help', 'Their grace period ends tomorrow, can we extend it?'],
    ['Customer needs help', 'Their grace-period ends tomorrow'],
    ['Licenses not received', ''],
    ['Wider Community Licence for a school', ''],
    ['SUBSCRIPTION mismatch', ''],
    ['Seats', 'We need to waive the true-up'],
  ])('redirects %j / %j', (title, description) => {
    const actions = plan(title, description);
    expect(actions).toContainEqual({ type: 'addLabels', labels: [defaultConfig.labels.redirectRequestForm] });
    expect(actions.filter((a) => a.type === 'upsertNote').map((a) => a.type === 'upsertNote' && a.key)).toEqual(['request-form-redirect']);
  });

  it.each([
    ['Contact a user about their blocked account', 'Please reach out to example-user.'],
    ['Trialogue', 'unlicensed and sublicense are words of their own'],
    ['Help', '<!-- not about a license or trial: guidance text -->'],
  ])('leaves %j alone', (title, description) => {
    expect(plan(title, description)).toEqual([]);
  });

  it.each(defaultConfig.templates.filter((t) => t.project === 'internal-requests').map((t) => [t.name]))('does not fire on the %s template as shipped', (name) => {
    expect(plan(name, shippedText(name))).toEqual([]);
  });

  describe('a templated request: the template or its description decide, never the title alone', () => {
    const contact = defaultConfig.templates.find((t) => t.name === 'Contact Request')!;
    const contactRequest = (answers: Record<string, string>) =>
      fillIn(shippedText('Contact Request'), { Username: 'trial-runner-42', 'Reason for contact': 'Abuse.', Message: 'Hello.', ...answers });
    const redirected = (actions: Action[]) => actions.some((a) => a.type === 'addLabels' && a.labels.includes(defaultConfig.labels.redirectRequestForm));

    it.each([
      {
        name: '"Contact user: trial namespace abusing shared runners", complete',
        title: 'Contact user: trial namespace abusing shared runners',
        description: contactRequest({
          'Reason for contact': 'Their trial namespace runs crypto miners on shared runners.',
          Message: 'Your trial namespace was blocked for abusing shared runners; reply to appeal.',
        }),
        expected: false,
      },
      {
        name: 'a message that mentions the subscription and trial (no ask)',
        title: 'Contact a user about their blocked account',
        description: fillIn(filledTemplate(contact), { Message: 'Your subscription renewal failed and your trial projects will be archived; please reply to us.' }),
        expected: false,
      },
      { name: 'a licensing title on a plain Contact Request', title: 'Extend the trial for ACME', description: filledTemplate(contact), expected: false },
      {
        name: 'the marker gone, headings kept, title about a trial',
        title: 'Trial abuse',
        description: withoutMarker(contactRequest({ Message: 'Your trial was blocked.' })),
        expected: false,
      },
      {
        name: 'the description asks to extend a trial',
        title: 'Contact ACME',
        description: contactRequest({ 'Reason for contact': 'The customer asks us to extend their trial by two weeks.' }),
        expected: true,
      },
      {
        name: 'the description asks for a grace period extension',
        title: 'Contact ACME',
        description: contactRequest({ Message: 'We need a grace period extension for ACME.' }),
        expected: true,
      },
      {
        name: 'an ask and a keyword in different sentences do not make one',
        title: 'Contact ACME',
        description: contactRequest({ 'Reason for contact': 'Please extend our thanks. Their trial namespace was abusive.' }),
        expected: false,
      },
    ])('$name: $expected', ({ title, description, expected }) => {
      expect(redirected(plan(title, description))).toBe(expected);
    });

    it('redirects every request of a template that is itself about licensing', () => {
      const licensing = { name: 'License Request', slug: 'license-request', project: 'internal-requests', requiredSections: ['Customer', 'Plan'], labels: [] };
      const config = { ...defaultConfig, templates: [...defaultConfig.templates, licensing] };
      const subject = buildSubject('internal-requests', { title: 'ACME', description: '<!-- template: License Request -->\n## Customer\n\nACME\n\n## Plan\n\nUltimate\n' });
      const actions = evaluate(requestFormRedirect, subject, buildContext({ config })).map((r) => r.action);
      expect(redirected(actions)).toBe(true);
      const note = actions.find((a) => a.type === 'upsertNote');
      expect(note?.type === 'upsertNote' && note.body).toContain('This **License Request** asks for "license"');
    });
  });

  it('a redirected request never keeps triage::ready', () => {
    expect(plan('Extend the trial')).toContainEqual({ type: 'removeLabels', labels: [defaultConfig.labels.ready] });
  });

  it('only runs in the configured project', () => {
    expect(plan('Extend the trial', '', 'feedback')).toEqual([]);
    expect(plan('Extend the trial', '', 'support-team-meta')).toEqual([]);
  });

  it('replies with the form link and the handbook rules', () => {
    const note = plan('Grace period extension').find((a) => a.type === 'upsertNote');
    const body = note?.type === 'upsertNote' ? note.body : '';
    expect(body).toContain(`(${defaultConfig.requestForm.url})`);
    expect(body).toMatch(/close this issue once the form is filed/);
    expect(body).toContain('"grace period"');
    expect(body).toMatch(/previous trial must exist/);
    expect(body).toMatch(/only once the current plan has expired/);
    expect(body).toMatch(/One license or subscription per request/);
    expect(body).toMatch(/Wider Community License lasting more than 90 days needs an approving manager's email/);
    expect(body).toMatch(/`Other` only when no option covers/);
  });

  it('uses the configured keywords', () => {
    const config = { ...defaultConfig, requestForm: { ...defaultConfig.requestForm, keywords: ['seat reset'] } };
    const subject = buildSubject('internal-requests', { title: 'Seat  Resets for QSR' });
    expect(requestFormRedirect.plan(subject, buildContext({ config }))).toHaveLength(3);
    expect(requestFormRedirect.plan(buildSubject('internal-requests', { title: 'trial' }), buildContext({ config }))).toEqual([]);
  });

  it('re-checks on updates of the title or description only', () => {
    const subject = buildSubject('internal-requests', { title: 'trial' });
    expect(runs(requestFormRedirect, subject, buildContext({ trigger: buildIssueTrigger('issue.update', ['description']) }))).toBe(true);
    expect(runs(requestFormRedirect, subject, buildContext({ trigger: buildIssueTrigger('issue.update', ['labels']) }))).toBe(false);
  });
});
