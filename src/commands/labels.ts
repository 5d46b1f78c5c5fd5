import { loadConfig } from '../config/load.js';
import { collect } from '../gitlab/collect.js';
import { stopsTheRun } from '../gitlab/errors.js';
import { isWrite } from '../engine/changes.js';
import { labelAction, planLabels } from '../labels/sync.js';
import { createLogger } from '../logger.js';
import { createRuntime } from '../runtime.js';
import { guarded, redacting } from './common.js';
import { configuredLabels } from './configuredLabels.js';
import { printWrites } from './output.js';

const OUTCOME: Record<string, string> = { written: '', 'would-write': 'would ', skipped: 'skipped (over budget): ', unchanged: '' };

/**
 * `support-bot labels sync [--dry-run]`: creates or updates every label the configuration
 * uses, in each project where a feature uses it. Its writes are project actions the executor
 * dispatches through its handler map like every other (dry run, `bot.maxWritesPerRun`,
 * outcomes). Exit 0 done, 1 a project failed, 2 bad config or a refused token.
 */
export function labelsSyncCommand(options: { dryRun: boolean }): Promise<number> {
  return guarded(async () => {
    const stdout = redacting(process.stdout);
    const loaded = loadConfig();
    const runtime = createRuntime({ log: createLogger(), dryRun: options.dryRun, loaded, maxWrites: loaded.config.bot.maxWritesPerRun });
    const { bot, gateway, dryRun } = runtime;
    const executor = bot.executor();
    let writes = 0;
    let skipped = 0;
    let failed = 0;
    for (const key of bot.projects.keys) {
      const path = String(loaded.config.projects[key]!.path);
      try {
        const scope = await bot.projects.resolve(key);
        const plan = planLabels(loaded.config, configuredLabels(loaded.config, scope, bot.deps.rules), await collect(gateway.listLabels(scope.id)));
        stdout.write(`${scope.path}: ${plan.changes.length === 0 ? 'labels up to date' : `${plan.changes.length} label change(s)${dryRun ? ' (dry run: not sent)' : ''}`}\n`);
        for (const note of plan.notes) stdout.write(`  note: ${note}\n`);
        for (const change of plan.changes) {
          // One at a time, so each write is printed as it is made, also when a later one fails.
          for (const applied of await executor.applyToProject([labelAction(scope.id, change)])) {
            stdout.write(`  ${OUTCOME[applied.outcome]}${applied.detail} (${applied.reason})\n`);
            if (isWrite(applied)) writes += 1;
            else if (applied.outcome === 'skipped') skipped += 1;
          }
        }
      } catch (error) {
        // A refused token or GitLab out of reach stops the sync (exit 2); one project's failure does not stop the others.
        if (stopsTheRun(error)) throw error;
        stdout.write(`${path}: failed: ${(error as Error).message}\n`);
        failed += 1;
      }
    }
    if (dryRun) printWrites(runtime.writer, stdout);
    const over = skipped > 0 ? `, ${skipped} over budget (bot.maxWritesPerRun: run it again)` : '';
    stdout.write(`labels: ${bot.projects.keys.length} projects, ${writes} ${dryRun ? 'write(s) not sent' : 'write(s)'}${over}${failed ? `, ${failed} failed` : ''}\n`);
    return failed > 0 ? 1 : 0;
  });
}
