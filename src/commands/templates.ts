import { loadConfig } from '../config/load.js';
import { isGitLabError, stopsTheRun } from '../gitlab/errors.js';
import { createLogger } from '../logger.js';
import { createRuntime, SetupError } from '../runtime.js';
import { shippedTemplates } from '../templates/shipped.js';
import { SYNC_BRANCH, syncTemplates, templatesWithoutFile, type ProjectSync } from '../templates/sync.js';
import { guarded } from './common.js';
import { printWrites } from './output.js';

const indent = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .map((line) => `    ${line}`);

/** One line per project, then (in a dry run) the diff the merge request proposes. */
function describe(result: ProjectSync, dryRun: boolean): string[] {
  if (result.error) return [`${result.projectPath}: failed: ${result.error.message}`];
  if (result.diffs.length === 0) return [`${result.projectPath}: templates up to date on ${result.defaultBranch}`];
  const mr = result.mergeRequest;
  const files = result.committed.map((a) => `  ${a.action} ${a.filePath}`);
  const commit =
    result.committed.length === 0 ? `branch ${SYNC_BRANCH} already holds them` : `${dryRun ? 'would commit' : 'committed'} ${result.committed.length} file(s) to ${SYNC_BRANCH}`;
  if (result.changes.some((c) => c.outcome === 'skipped')) {
    const skipped = result.changes.filter((c) => c.outcome === 'skipped').map((c) => c.detail);
    return [`${result.projectPath}: skipped over the write budget (bot.maxWritesPerRun; run it again): ${skipped.join('; ')}`];
  }
  const request = !mr
    ? ''
    : mr.opened
      ? dryRun
        ? `; would open a merge request into ${result.defaultBranch}`
        : `; opened merge request !${mr.iid} ${mr.webUrl}`
      : `; merge request !${mr.iid} ${mr.webUrl}`;
  return [`${result.projectPath}: ${commit}${request}`, ...files, ...(dryRun ? result.diffs.flatMap(indent) : [])];
}

/** `support-bot templates sync [--dry-run]`: one merge request per project; exit 0 done, 1 a project failed, 2 bad config or token. */
export function templatesSyncCommand(options: { dryRun: boolean }): Promise<number> {
  return guarded(async () => {
    const loaded = loadConfig();
    const missing = templatesWithoutFile(loaded.config, shippedTemplates);
    if (missing.length > 0) throw new SetupError(`templates: no file for ${missing.join(', ')} under issue_templates/ (config templates lists them)`);
    const runtime = createRuntime({ log: createLogger(), dryRun: options.dryRun, loaded, maxWrites: loaded.config.bot.maxWritesPerRun });
    const results = await syncTemplates({ config: loaded.config, catalog: shippedTemplates, gateway: runtime.gateway, executor: runtime.bot.executor() });
    for (const result of results) process.stdout.write(`${describe(result, runtime.dryRun).join('\n')}\n`);
    if (runtime.dryRun) printWrites(runtime.writer, process.stdout);
    // GitLab out of reach stops the sync at its first project (exit 2): nothing else would fare better.
    const stopped = results.find((r) => stopsTheRun(r.error));
    if (stopped) throw stopped.error;
    const failed = results.filter((r) => r.error);
    // A refused token or permission is the operator's to fix: `guarded` turns it into exit 2.
    const refused = failed.find((r) => isGitLabError(r.error) && (r.error.status === 401 || r.error.status === 403));
    if (refused) throw refused.error;
    return failed.length > 0 ? 1 : 0;
  });
}
