import { runSwir } from '../../jobs/swir.js';
import { weekContaining } from '../../swir/week.js';
import type { DemoScenario } from '../types.js';

// Support Week in Review: a team member flags a topic with a label, a handbook change is
// merged, another waits for its approval artifact, and the Friday run publishes the week so
// far as one issue opening with what needs attention (and out/swir-<week>.md); the next run
// finds nothing changed and writes nothing. (Monday's run finalises it: docs/swir.md.)

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
      const waiting = store.createMergeRequest(handbook.id, {
        title: 'Support: new escalation path for Contact Requests',
        authorId: store.findUserByUsername('chen')!.id,
        labels: [config.labels.approvalMissing],
        changes: [{ new_path: 'content/handbook/support/workflows/contact-requests.md' }],
      });
      ctx.say(`@chen opens ${handbookPath}!${waiting.iid}, a handbook change still without an approval artifact`);
    }
    await ctx.settle();

    // The demo runs on any day: it reviews the current week as Friday's run does (the week so far).
    const week = weekContaining(new Date(), config.swir.timezone).key;
    ctx.say(`Friday's scheduled pipeline: support-bot run swir --output out/ (here with --week ${week}, the week so far)`);
    const first = await runSwir(stack.runtime, {
      week,
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
    const lines = first.markdown.split('\n');
    for (const line of lines.slice(0, lines.indexOf('## Topics flagged for the review'))) ctx.say(`    | ${line}`);
    ctx.say('    | …');
    ctx.say('the next run: nothing changed, nothing written');
    const second = await runSwir(stack.runtime, { week, out: { write: () => true } as unknown as NodeJS.WritableStream });
    ctx.say(`  ${second.summary}`);
    await ctx.settle();
  },
};
