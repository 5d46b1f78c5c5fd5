import type { DemoScenario } from '../types.js';

// A token pasted into a public tracker: within seconds the issue is confidential,
// the token in the description is [REDACTED] and the reply asks to revoke it.

/** Token-shaped, built at run time so the repository holds nothing a secret scanner flags. */
const demoToken = `glpat-${'Demo0Only'.repeat(3)}`;

const description = `Registering a runner fails with 403. This is what I run:

\`\`\`shell
gitlab-runner register --url https://gitlab.com --token ${demoToken}
\`\`\`

The rest of the log looks normal.`;

export const redactedSecret: DemoScenario = {
  title: 'Public tracker: a pasted token is redacted and the issue made confidential',
  async run(ctx) {
    const project = 'support-team-meta';
    const iid = await ctx.openIssue('sam-sales', project, { title: 'Runner registration fails with 403', description });
    await ctx.settle();
    const store = ctx.stack.sandbox.store;
    const issue = store.getIssue(store.resolveProject(ctx.projectPath(project))!.id, iid)!;
    const line = issue.description.split('\n').find((l) => l.includes('--token')) ?? '';
    ctx.say(`the description now reads: ${line.trim()}`);
    ctx.show(project, iid);
  },
};
