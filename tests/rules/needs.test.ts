import { describe, expect, it } from 'vitest';
import { FactsLoader } from '../../src/engine/facts.js';
import { planSubject } from '../../src/engine/planner.js';
import type { GitLabGateway } from '../../src/gitlab/types.js';
import { allRules } from '../../src/rules/index.js';
import type { AnyRule, BaseContext, Subject } from '../../src/rules/types.js';
import { ruleRunsIn } from '../../src/engine/runsOn.js';
import { buildContext, buildMergeRequestSubject, buildScope, buildSubject, defaultConfig } from '../helpers/builders.js';
import { fake } from '../secrets/fakeSecrets.js';

// Every rule with needs: when a needed fact cannot be loaded, the rule reports an error and
// acts on nothing. A GitLab whose every read fails stands in for the outage.

const failing = new Proxy({} as GitLabGateway, {
  get: (_target, name) => () => {
    throw new Error(`GET ${String(name)} → 503`);
  },
});

/** For the shipped rules, a subject and trigger each applies to, so that only its facts stand in the way. */
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

/**
 * Any other rule (one added later) is taken as applying to a plain subject of its kind in a
 * project where it runs: what is tested is that the engine fails it closed on its facts.
 */
function anyCase(rule: AnyRule): { rule: AnyRule; subject: Subject; ctx: BaseContext } {
  const key = Object.keys(defaultConfig.projects).find((k) => ruleRunsIn(rule, buildScope(k, { visibility: 'public' }), defaultConfig))!;
  const subject = rule.subject === 'issue' ? buildSubject(key, {}, { visibility: 'public' }) : buildMergeRequestSubject(key, {}, { visibility: 'public' });
  return { rule: { ...rule, applies: () => true }, subject, ctx: buildContext() };
}

const withNeeds = allRules.filter((r: AnyRule) => (r.needs ?? []).length > 0);

describe('rules with needs, when a needed fact fails to load', () => {
  it.each(withNeeds.map((r) => [r.key, r] as const))('%s reports the failed fact as its error and plans nothing', async (key, shipped) => {
    const { rule, subject, ctx } = cases[key] ? { rule: shipped, ...cases[key] } : anyCase(shipped);
    expect(rule.applies(subject as never, ctx)).toBe(true);
    const facts = new FactsLoader({ config: defaultConfig, gateway: failing }).forSubject(subject);
    const plan = await planSubject(subject, [rule], ctx, facts);
    expect(plan.planned).toEqual([]);
    expect(plan.outcomes).toHaveLength(1);
    expect(plan.outcomes[0]).toMatchObject({ rule: key, status: 'error' });
    expect(plan.outcomes[0]!.error).toMatch(/^fact "\w+" could not be loaded: /);
  });
});
