import { runSwir } from '../../jobs/swir.js';
import type { DemoScenario } from '../types.js';

// Support Week in Review: a team member flags a topic with a label, a handbook change is
// merged, and the Friday job publishes the week as one issue (and out/swir-<week>.md);
// the next run finds nothing changed and writes nothing.

export const weekInReview: DemoScenario = {
  title: 'Support Week in Review: topics flagged by label, one issue per week (support-bot run swir)',
  async run(ctx) {
    const { stack } = ctx;
    const { store } = stack.sandbox;
    const { config } = stack.runtime.loaded;
    const [announcement] = config.swir.topicLabels;
    const topic = await ctx.openIssue('maria-manager', 'support-team-meta', { title: 'From next week, the SWIR is an issue, not a document' });
    await ctx.editIssue('maria-manager', 'support-team-meta', topic, { add_labels: [announcement!] });
    ctx.say(`@maria-manager flags it for the review with ~"${announcement}"`);

    const handbookPath = 'gitlab-com/content-sites/handbook';
    const handbook = store.resolveProject(handbookPath);
    if (handbook) {
      const mr = store.createMergeRequest(handbook.id, {
        title: 'Support: how to flag a topic for the Week in Review',
        authorId: store.findUserByUsername('bruno')!.id,
        labels: [config.labels.approvalPresent],
        changes: [{ new_path: 'content/handbook/support/workflows/week-in-review.md', new_file: true }],
      });
      const response = await fetch(`${stack.sandbox.url}/api/v4/projects/${handbook.id}/merge_requests/${mr.iid}/merge`, {
        method: 'PUT',
        headers: { 'private-token': stack.tokenFor('maria-manager') },
      });
      if (!response.ok) throw new Error(`demo: merging ${handbookPath}!${mr.iid} → ${response.status}`);
      ctx.say(`@maria-manager merges ${handbookPath}!${mr.iid}, a handbook change with an approval artifact`);
    }
    await ctx.settle();

    ctx.say('scheduled pipeline (Friday): support-bot run swir --output out/');
    const first = await runSwir(stack.runtime, {
      out: {
        write: (chunk: string) => (
          chunk
            .split('\n')
            .filter(Boolean)
            .forEach((l) => ctx.say(`  ${l}`)),
          true
        ),
      } as unknown as NodeJS.WritableStream,
      output: `${ctx.outDir}/`,
    });
    ctx.say(`  ${first.summary}`);
    for (const line of first.markdown.split('\n').slice(0, 14)) ctx.say(`    | ${line}`);
    ctx.say('    | …');
    ctx.say('the next run: nothing changed, nothing written');
    const second = await runSwir(stack.runtime, { out: { write: () => true } as unknown as NodeJS.WritableStream });
    ctx.say(`  ${second.summary}`);
    await ctx.settle();
  },
};
