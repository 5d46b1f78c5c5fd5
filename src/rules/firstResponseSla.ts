import { z } from 'zod';
import { scopedLabel, timeZone } from '../config/fields.js';
import { configSection } from '../config/section.js';
import { formatHours } from '../sla/businessHours.js';
import { clockByListData, type FirstResponseStatus } from '../sla/firstResponse.js';
import { formatLocal } from '../sla/zonedTime.js';
import { namedLabels } from '../config/labelUses.js';
import { issueRule, type IssueSubject, type RuleContext, type RuleResult } from './types.js';
import { issueMessage } from '../notify/message.js';
import { chatReplacement, notifyChannels } from '../notify/plan.js';

/** A GitLab username or group path, with or without its `@`. */
const handle = z
  .string()
  .trim()
  .regex(/^@?[A-Za-z0-9_.][A-Za-z0-9_.-]*(\/[A-Za-z0-9_.][A-Za-z0-9_.-]*)*$/, 'expected a username or group path like "support-managers" or "gitlab-com/support/managers"')
  .transform((s) => s.replace(/^@/, ''));

const slaSchema = z
  .strictObject({
    /** IANA zone the working hours are read in. */
    timezone: timeZone.default('UTC'),
    /** ISO weekdays, 1 = Monday. */
    workingDays: z.array(z.number().int().min(1).max(7)).min(1).default([1, 2, 3, 4, 5]),
    dayStartHour: z.number().int().min(0).max(23).default(9),
    dayEndHour: z.number().int().min(1).max(24).default(17),
    atRiskShare: z.number().gt(0).lt(1).default(0.8),
    /** Group whose members count as the Support team: their comments are first responses, and their own issues are not requests. Never mentioned. */
    teamGroup: z.string().min(1).default('gitlab-com/support'),
    /**
     * Usernames of integration accounts whose issues are not requests (no first-response clock, no template
     * note): the Zendesk integration's user that files SSAT survey responses in `feedback`, say. Project and
     * group access tokens need no entry; the first-response clock also recognises GitLab's bot users (`bot: true`)
     * and the bot itself.
     */
    ignoreAuthors: z.array(z.string().trim().min(1)).default([]),
    /**
     * Who the breach note mentions when the request has no assignee: a username or a group path (`@` optional).
     * Left out (the default), nobody is mentioned and the `sla::breached` label carries it; with assignees, the
     * note mentions them instead.
     */
    escalateTo: handle.optional(),
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

/** The first-response status of a planned issue (the `firstResponse` fact: off the clock, or against its target). */
export function firstResponseStatus(_subject: IssueSubject, ctx: RuleContext<'firstResponse', never, never>): FirstResponseStatus {
  return ctx.facts.firstResponse;
}

/** Who must act on a breach: the assignees (not the bot), else `sla.escalateTo`, else nobody. */
function breachMentions(subject: IssueSubject, ctx: RuleContext<'firstResponse' | 'botUser', never, never>): string[] {
  const assignees = subject.issue.assignees.map((a) => a.username).filter((u) => u !== ctx.facts.botUser.username);
  if (assignees.length > 0) return [...new Set(assignees)];
  return ctx.config.sla.escalateTo ? [ctx.config.sla.escalateTo] : [];
}

export const firstResponseSla = issueRule({
  key: 'first-response-sla',
  description:
    'Labels requests (templates with a first-response target, from outside the team, not integrations, not redirected) at risk of or past their target; on a breach, one note mentioning the assignees or sla.escalateTo',
  config: slaConfig,
  messages: {
    'sla-answered': [{ elapsed: '3', hours: '12' }],
    'sla-breached': [
      { mention: ['alice', 'bruno'], hours: '12', template: 'Contact Request', dueAt: '2026-11-16 09:00 UTC' },
      { mention: [], hours: '12', template: 'Name Squatting Request', dueAt: '2026-11-27 17:00 UTC' },
    ],
  },
  runsOn: { events: {}, jobs: ['sla'] },
  needs: ['firstResponse', 'botUser'],
  labels: (config) => [...namedLabels(config, 'slaAtRisk', 'slaBreached'), ...(config.sla.answeredLabel ? [{ label: config.sla.answeredLabel, from: 'sla.answeredLabel' }] : [])],
  // List data only: a request is a candidate once it can be at risk; any issue while it carries one of our labels.
  applies: (subject, ctx) => {
    const { issue } = subject;
    if (issue.state !== 'opened') return false;
    const { answeredLabel } = ctx.config.sla;
    if (answeredLabel && issue.labels.includes(answeredLabel)) return false;
    const { slaAtRisk, slaBreached } = ctx.config.labels;
    if (issue.labels.includes(slaAtRisk) || issue.labels.includes(slaBreached)) return true;
    const clock = clockByListData(subject, ctx.config);
    return clock.on && ctx.now >= clock.target.atRiskAt;
  },
  plan(subject, ctx) {
    const { slaAtRisk, slaBreached } = ctx.config.labels;
    const status = firstResponseStatus(subject, ctx);
    if (status.state === 'off-the-clock') {
      return [{ action: { type: 'removeLabels', labels: [slaAtRisk, slaBreached] }, reason: `not on the first-response clock: ${status.why}` }];
    }
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
      case 'at-risk': {
        // The label alone: nobody needs to be told before the target has passed.
        const reason = `no first response from Support; ${target} due at ${status.target.dueAt.toISOString()}`;
        return [
          { action: { type: 'addLabels', labels: [slaAtRisk] }, reason },
          { action: { type: 'removeLabels', labels: [slaBreached] }, reason },
        ];
      }
      case 'breached': {
        const reason = `no first response from Support; ${target} passed at ${status.target.dueAt.toISOString()}`;
        // Only facts fixed while it stays breached and config: the body stays byte-identical across runs.
        const body = ctx.render.render('sla-breached', {
          mention: breachMentions(subject, ctx),
          hours: formatHours(status.target.hours),
          template: status.target.template,
          dueAt: formatLocal(status.target.dueAt, ctx.config.sla.timezone),
        });
        const results: RuleResult[] = [
          { action: { type: 'addLabels', labels: [slaBreached] }, reason },
          { action: { type: 'removeLabels', labels: [slaAtRisk] }, reason },
          { action: { type: 'upsertNote', key: NOTE_KEY, body }, reason },
          // The channels that ask for sla.breached, once each (none configured: nothing).
          ...notifyChannels(ctx.config, issueMessage('sla.breached', 'First-response target missed', subject.project.path, subject.issue, chatReplacement(ctx.config)), reason, {
            projectKey: subject.project.key,
            labels: subject.issue.labels,
          }),
        ];
        return results;
      }
      case 'on-track':
        // Only reached when a label outlived a longer target (config changed): take it off.
        return [{ action: { type: 'removeLabels', labels: [slaAtRisk, slaBreached] }, reason: `within ${target}, not at risk yet` }];
    }
  },
});
