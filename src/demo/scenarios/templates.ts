import { shippedTemplates } from '../../templates/shipped.js';
import type { DemoScenario } from '../types.js';

// Each template flow as a team member lives it: a section left empty and filled
// later, a template whose marker was lost, no template at all, and a licensing
// request that belongs in the request form.

const contactMissingMessage = `<!-- template: Contact Request -->
## Username

example-user

## Reason for contact

- [x] I blocked this user on GitLab.com

Their pipelines were mining cryptocurrency.

## Message

<!-- What Support should tell the user. -->
`;

const feedbackWithoutMarker = `## Customer

Acme Corp (account record linked in Salesforce)

## Feedback

"The reply took three days, and it was the wrong answer."

## Source

Call with their account manager on 2026-11-20
`;

export const templateFlows: DemoScenario = {
  title: 'Issue templates: one note that keeps up, labels that follow, the request form',
  async run(ctx) {
    const iid = await ctx.openIssue('sam-sales', 'internal-requests', { title: 'Contact a blocked user', description: contactMissingMessage, confidential: true });
    await ctx.settle();
    ctx.show('internal-requests', iid);
    await ctx.editIssue('sam-sales', 'internal-requests', iid, {
      description: contactMissingMessage.replace('<!-- What Support should tell the user. -->', 'Your account was blocked for crypto mining; reply to unblock.'),
    });
    await ctx.settle();
    ctx.say('the same note now says the request is complete; needs-info became ready');
    ctx.show('internal-requests', iid);

    const feedback = await ctx.openIssue('dana', 'feedback', { title: 'Slow reply to Acme', description: feedbackWithoutMarker });
    await ctx.settle();
    ctx.say('no marker, but the Indirect Feedback headings are there: recognised, complete, no note');
    ctx.show('feedback', feedback);

    const freeForm = await ctx.openIssue('dana', 'feedback', { title: 'Customer unhappy', description: 'They did not like our answer.' });
    await ctx.settle();
    ctx.show('feedback', freeForm);

    // The other three templates as a team member starts them: picked from the template
    // dropdown, nothing written yet. Each gets its labels and one note naming every section.
    for (const [username, projectKey, name, title] of [
      ['sam-sales', 'internal-requests', 'Name Squatting Request', 'Namespace request: acme'],
      ['maria-manager', 'support-team-meta', 'Support Readiness', 'Readiness: new runner token format'],
      ['bruno', 'support-team-meta', 'Support Shadow Program', 'Shadowing the Dedicated team'],
    ] as const) {
      const text = shippedTemplates.get(name)?.text ?? '';
      const opened = await ctx.openIssue(username, projectKey, { title, description: text, confidential: projectKey === 'internal-requests' });
      await ctx.settle();
      ctx.show(projectKey, opened);
    }

    const trial = await ctx.openIssue('sam-sales', 'internal-requests', {
      title: 'Extend the trial for Acme by two weeks',
      description: 'Their evaluation is not finished.',
      confidential: true,
    });
    await ctx.settle();
    ctx.show('internal-requests', trial);
  },
};
