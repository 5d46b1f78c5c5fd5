import { businessHoursBetween } from '../../sla/businessHours.js';
import type { DemoScenario } from '../types.js';

// First-response targets: only requests are on the clock (not the team's own issues). At risk
// is a label; a breach adds one note that mentions the assignee (nobody when there is none,
// never the whole team); an answer from a team member clears it on the next run.

const contactRequest = `<!-- template: Contact Request -->
## Username

example-user

## Reason for contact

Their pipelines were mining cryptocurrency.

## Message

Your account was blocked for crypto mining; reply to unblock.
`;

const HOUR_MS = 3600 * 1000;

/** The latest whole hour before `now` from which at least `hours` business hours have passed. */
function businessHoursAgo(now: Date, hours: number, sla: Parameters<typeof businessHoursBetween>[2]): Date {
  let at = new Date(now.getTime() - HOUR_MS);
  while (businessHoursBetween(at, now, sla) < hours) at = new Date(at.getTime() - HOUR_MS);
  return at;
}

export const firstResponseTargets: DemoScenario = {
  title: 'First-response targets: at risk, breached, answered (support-bot run sla)',
  async run(ctx) {
    const { store } = ctx.stack.sandbox;
    const { sla, labels } = ctx.stack.runtime.loaded.config;
    const project = store.resolveProject(ctx.projectPath('internal-requests'))!;
    const requester = store.findUserByUsername('sam-sales')!;
    const now = new Date();
    // Written straight into the store with a past creation time, as template-check left them.
    const open = (title: string, createdAt: Date, author = requester, assignees: number[] = []) =>
      store.createIssue(project.id, {
        title,
        description: contactRequest,
        authorId: author.id,
        assigneeIds: assignees,
        labels: [`${labels.templatePrefix}contact-request`, labels.ready],
        confidential: true,
        createdAt,
        updatedAt: createdAt,
      }).iid;
    const dana = store.findUserByUsername('dana')!;
    const breached = open('Contact a user about their blocked account', businessHoursAgo(now, 20, sla), requester, [dana.id]);
    const atRisk = open('Contact a user about a name squat', businessHoursAgo(now, 10, sla));
    const own = open('Contact a user about an expired token', businessHoursAgo(now, 30, sla), store.findUserByUsername('bruno')!);
    ctx.say(`@sam-sales's Contact Requests (target 12 business hours) have waited about 20 (#${breached}, assigned to @dana) and 10 (#${atRisk}) business hours with no answer`);
    ctx.say(`@bruno (Support) filed #${own} himself 30 business hours ago: the team's own issues are not requests`);
    ctx.say('scheduled pipeline: support-bot run sla');
    await ctx.runJob('sla');
    ctx.say('breached: the label and one note that mentions the assignee; at risk: the label only; the team is not paged');
    ctx.show('internal-requests', breached);
    ctx.show('internal-requests', atRisk);
    ctx.show('internal-requests', own);
    ctx.say('the next scheduled run: nothing changed, no second mention');
    await ctx.runJob('sla');

    await ctx.comment('chen', 'internal-requests', breached, 'On it: I will contact the user today.');
    await ctx.settle();
    ctx.say('@chen (Support) answered; the next run clears the label and edits the same note');
    await ctx.runJob('sla');
    ctx.show('internal-requests', breached);
  },
};
