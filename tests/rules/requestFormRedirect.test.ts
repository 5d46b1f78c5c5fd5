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

  it("reads a templated request by its title only: a Contact Request whose message mentions the user's subscription stays a Contact Request", () => {
    const contact = defaultConfig.templates.find((t) => t.name === 'Contact Request')!;
    const message = fillIn(filledTemplate(contact), { Message: 'Your subscription renewal failed and your trial projects will be archived; please reply to us.' });
    expect(plan('Contact a user about their blocked account', message)).toEqual([]);
    expect(plan('Extend the trial for ACME', message)).toContainEqual({ type: 'addLabels', labels: [defaultConfig.labels.redirectRequestForm] });
    // The headings alone (marker gone) are still the template.
    expect(plan('Contact a user', withoutMarker(message))).toEqual([]);
  });

  it('only runs in the configured project', () => {
    expect(plan('Extend the trial', '', 'feedback')).toEqual([]);
    expect(plan('Extend the trial', '', 'support-team-meta')).toEqual([]);
  });

  it('replies with the form link and the handbook rules', () => {
    const note = plan('Grace period extension').find((a) => a.type === 'upsertNote');
    const body = note?.type === 'upsertNote' ? note.body : '';
    expect(body).toContain(`(${defaultConfig.requestForm.url})`);
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
    expect(requestFormRedirect.plan(subject, buildContext({ config }))).toHaveLength(2);
    expect(requestFormRedirect.plan(buildSubject('internal-requests', { title: 'trial' }), buildContext({ config }))).toEqual([]);
  });

  it('re-checks on updates of the title or description only', () => {
    const subject = buildSubject('internal-requests', { title: 'trial' });
    expect(runs(requestFormRedirect, subject, buildContext({ trigger: buildIssueTrigger('issue.update', ['description']) }))).toBe(true);
    expect(runs(requestFormRedirect, subject, buildContext({ trigger: buildIssueTrigger('issue.update', ['labels']) }))).toBe(false);
  });
});
