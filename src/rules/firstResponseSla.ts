import { formatHours } from '../sla/businessHours.js';
import { assessFirstResponse, type FirstResponseStatus } from '../sla/firstResponse.js';
import { firstResponseTarget } from '../sla/target.js';
import { formatLocal } from '../sla/zonedTime.js';
import { namedLabels } from '../config/labelUses.js';
import { issueRule, type IssueSubject, type RuleContext, type RuleResult } from './types.js';

const NOTE_KEY = 'first-response-sla';

/**
 * The first-response status of a planned issue. Both facts are needed: without them every
 * issue would look unanswered, so the engine fails the rule rather than let it mislabel.
 */
export function firstResponseStatus(subject: IssueSubject, ctx: RuleContext<'notes' | 'teamMembers' | 'botUser'>): FirstResponseStatus {
  const { notes, teamMembers } = ctx.facts;
  return assessFirstResponse(subject.issue, { notes, teamMembers, botUsername: ctx.facts.botUser.username }, ctx.config, ctx.now);
}

function unansweredNote(status: FirstResponseStatus, ctx: RuleContext<'notes' | 'teamMembers' | 'botUser'>, template: 'sla-at-risk' | 'sla-breached'): string {
  // Only facts fixed at creation time and config: the body stays byte-identical across runs.
  return ctx.render.render(template, {
    group: ctx.config.sla.teamGroup,
    hours: formatHours(status.target.hours),
    template: status.target.template ?? '',
    dueAt: formatLocal(status.target.dueAt, ctx.config.sla.timezone),
  });
}

export const firstResponseSla = issueRule({
  key: 'first-response-sla',
  description: 'Labels open issues at risk of or past their first-response target without an answer from Support, tells the team once, and clears the labels when answered',
  runsOn: { events: {}, jobs: ['sla'] },
  needs: ['notes', 'teamMembers', 'botUser'],
  labels: (config) => [...namedLabels(config, 'slaAtRisk', 'slaBreached'), ...(config.sla.answeredLabel ? [{ label: config.sla.answeredLabel, from: 'sla.answeredLabel' }] : [])],
  // List data only: an issue is a candidate once it can be at risk, or while it carries one of our labels.
  applies: ({ issue }, ctx) => {
    if (issue.state !== 'opened') return false;
    const { answeredLabel } = ctx.config.sla;
    if (answeredLabel && issue.labels.includes(answeredLabel)) return false;
    const { slaAtRisk, slaBreached } = ctx.config.labels;
    if (issue.labels.includes(slaAtRisk) || issue.labels.includes(slaBreached)) return true;
    return ctx.now >= firstResponseTarget(issue, ctx.config).atRiskAt;
  },
  plan(subject, ctx) {
    const { slaAtRisk, slaBreached } = ctx.config.labels;
    const status = firstResponseStatus(subject, ctx);
    const target = `${formatHours(status.target.hours)} business hours`;
    switch (status.state) {
      case 'answered': {
        const elapsed = formatHours(status.businessHours);
        const reason = `answered by @${status.response.author.username} after ${elapsed} of ${target}`;
        const { answeredLabel } = ctx.config.sla;
        return [
          ...(answeredLabel ? [{ action: { type: 'addLabels' as const, labels: [answeredLabel] }, reason }] : []),
          { action: { type: 'removeLabels', labels: [slaAtRisk, slaBreached] }, reason },
          {
            action: { type: 'upsertNote', key: NOTE_KEY, body: ctx.render.render('sla-answered', { elapsed, hours: formatHours(status.target.hours) }), onlyIfExists: true },
            reason,
          },
        ];
      }
      case 'breached':
      case 'at-risk': {
        const breached = status.state === 'breached';
        const reason = `no first response from Support; ${target} ${breached ? 'passed' : 'due'} at ${status.target.dueAt.toISOString()}`;
        const results: RuleResult[] = [
          { action: { type: 'addLabels', labels: [breached ? slaBreached : slaAtRisk] }, reason },
          { action: { type: 'removeLabels', labels: [breached ? slaAtRisk : slaBreached] }, reason },
          { action: { type: 'upsertNote', key: NOTE_KEY, body: unansweredNote(status, ctx, breached ? 'sla-breached' : 'sla-at-risk') }, reason },
        ];
        return results;
      }
      case 'on-track':
        // Only reached when a label outlived a longer target (config changed): take it off.
        return [{ action: { type: 'removeLabels', labels: [slaAtRisk, slaBreached] }, reason: `within ${target}, not at risk yet` }];
    }
  },
});
