import { describe, expect, it } from 'vitest';
import { FactsLoader } from '../../src/engine/facts.js';
import { planSubject } from '../../src/engine/planner.js';
import type { GitLabGateway } from '../../src/gitlab/types.js';
import { allRules } from '../../src/rules/index.js';
import type { AnyRule, BaseContext, Subject } from '../../src/rules/types.js';
import { buildContext, buildMergeRequestSubject, buildSubject, defaultConfig } from '../helpers/builders.js';
import { fake } from '../secrets/fakeSecrets.js';

// Every rule with needs: when a needed fact cannot be loaded, the rule reports an error and
// acts on nothing. A GitLab whose every read fails stands in for the outage.

const failing = new Proxy({} as GitLabGateway, {
  get: (_target, name) => () => {
    throw new Error(`GET ${String(name)} → 503`);
  },
});

/** A subject and trigger each rule applies to, so that only its facts stand in the way. */
const cases: Record<string, { subject: Subject; ctx: BaseContext }> = {
  'sensitive-data': { subject: buildSubject('support-team-meta', { description: `token ${fake.glpat}` }, { visibility: 'public' }), ctx: buildContext() },
  'first-response-sla': {
    subject: buildSubject('internal-requests', { labels: ['template::contact-request'], createdAt: new Date('2026-11-16T09:00:00Z') }),
    ctx: buildContext({ now: new Date('2026-11-20T12:00:00Z'), trigger: { kind: 'job', job: 'sla' } }),
  },
  'template-check': { subject: buildSubject('internal-requests', { description: 'Please help.' }), ctx: buildContext() },
  'request-form-redirect': { subject: buildSubject('internal-requests', { title: 'Our trial expired' }), ctx: buildContext() },
  'active-now-limit': { subject: buildSubject('support-team-meta', { labels: [defaultConfig.activeNow.labels[0]!] }), ctx: buildContext() },
  'approval-artifact': { subject: buildMergeRequestSubject('handbook'), ctx: buildContext() },
  'dormant-namespace': {
    subject: buildSubject('internal-requests', { labels: ['template::name-squatting-request'], description: '## Requested namespace\n\n@coolname\n' }),
    ctx: buildContext({ trigger: { kind: 'job', job: 'dormant' } }),
  },
};

const withNeeds = allRules.filter((r: AnyRule) => (r.needs ?? []).length > 0);

describe('rules with needs, when a needed fact fails to load', () => {
  it('every rule with needs has a case here', () => {
    expect(withNeeds.map((r) => r.key).sort()).toEqual(Object.keys(cases).sort());
  });

  it.each(withNeeds.map((r) => [r.key, r] as const))('%s reports the failed fact as its error and plans nothing', async (key, rule) => {
    const { subject, ctx } = cases[key]!;
    expect(rule.applies(subject as never, ctx)).toBe(true);
    const facts = new FactsLoader(defaultConfig, failing, async () => {
      throw new Error('team → 503');
    }).forSubject(subject);
    const plan = await planSubject(subject, [rule], ctx, facts);
    expect(plan.planned).toEqual([]);
    expect(plan.outcomes).toHaveLength(1);
    expect(plan.outcomes[0]).toMatchObject({ rule: key, status: 'error' });
    expect(plan.outcomes[0]!.error).toMatch(/^fact "\w+" could not be loaded: /);
  });
});
