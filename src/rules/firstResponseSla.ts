import { z } from 'zod';
import { scopedLabel, timeZone } from '../config/fields.js';
import { configSection } from '../config/section.js';
import { formatHours } from '../sla/businessHours.js';
import { assessFirstResponse, type FirstResponseStatus } from '../sla/firstResponse.js';
import { firstResponseTarget } from '../sla/target.js';
import { formatLocal } from '../sla/zonedTime.js';
import { namedLabels } from '../config/labelUses.js';
import { issueRule, type IssueSubject, type RuleContext, type RuleResult } from './types.js';

const slaSchema = z
  .strictObject({
    /** IANA zone the working hours are read in. */
    timezone: timeZone.default('UTC'),
    /** ISO weekdays, 1 = Monday. */
    workingDays: z.array(z.number().int().min(1).max(7)).min(1).default([1, 2, 3, 4, 5]),
    dayStartHour: z.number().int().min(0).max(23).default(9),
    dayEndHour: z.number().int().min(1).max(24).default(17),
    atRiskShare: z.number().gt(0).lt(1).default(0.8),
    /** Group whose members count as the Support team, and who is mentioned on a breach. */
    teamGroup: z.string().min(1).default('gitlab-com/support'),
    /** First-response target in business hours for issues without a template target (handbook: posted issues, two weeks). */
    firstResponseHours: z.number().positive().default(80),
    /** Optional: a label an answered issue keeps, so later runs skip it without reading its notes. Off by default. */
    answeredLabel: scopedLabel.optional(),
  })
  .refine((s) => s.dayEndHour > s.dayStartHour, { message: 'expected dayEndHour after dayStartHour', path: ['dayEndHour'] });

/** This rule's section of the config file, `sla:`. */
export const slaConfig = configSection('sla', slaSchema);

declare module '../config/schema.js' {
  interface RuleConfigs {
    sla: z.output<typeof slaSchema>;
  }
}

const NOTE_KEY = 'first-response-sla';

/**
 * The first-response status of a planned issue. Both facts are needed: without them every
 * issue would look unanswered, so the engine fails the rule rather than let it mislabel.
 */
export function firstResponseStatus(subject: IssueSubject, ctx: RuleContext<'notes' | 'teamMembers' | 'botUser', never, never>): FirstResponseStatus {
  const { notes, teamMembers } = ctx.facts;
  return assessFirstResponse(subject.issue, { notes, teamMembers, botUsername: ctx.facts.botUser.username }, ctx.config, ctx.now);
}

function unansweredNote(
  status: FirstResponseStatus,
  ctx: RuleContext<'notes' | 'teamMembers' | 'botUser', never, 'sla-at-risk' | 'sla-breached'>,
  template: 'sla-at-risk' | 'sla-breached',
): string {
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
  config: slaConfig,
  messages: {
    'sla-answered': [{ elapsed: '3', hours: '12' }],
    'sla-at-risk': [
      { group: 'gitlab-com/support', hours: '12', template: 'Contact Request', dueAt: '2026-11-16 09:00' },
      { group: 'gitlab-com/support', hours: '80', template: '', dueAt: '2026-11-27 17:00' },
    ],
    'sla-breached': [
      { group: 'gitlab-com/support', hours: '12', template: 'Contact Request', dueAt: '2026-11-16 09:00' },
      { group: 'gitlab-com/support', hours: '80', template: '', dueAt: '2026-11-27 17:00' },
    ],
  },
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
