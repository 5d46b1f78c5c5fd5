import { loadConfig } from '../config/load.js';
import { createLogger } from '../logger.js';
import { createRuntime, SetupError } from '../runtime.js';
import { guarded } from './common.js';

/**
 * The merge request pipeline job. It reads the merge request named by GitLab's CI
 * variables; the approval-artifact rules will report on it from here.
 */
export function checkMrCommand(options: { dryRun: boolean }): Promise<number> {
  return guarded(async () => {
    const projectId = Number(process.env.CI_MERGE_REQUEST_PROJECT_ID ?? process.env.CI_PROJECT_ID);
    const iid = Number(process.env.CI_MERGE_REQUEST_IID);
    if (!Number.isInteger(projectId) || !Number.isInteger(iid)) {
      throw new SetupError('check-mr: CI_MERGE_REQUEST_IID and CI_PROJECT_ID must be set (run it in a merge_request_event pipeline)');
    }
    const runtime = createRuntime({ log: createLogger(), dryRun: options.dryRun, loaded: loadConfig() });
    const mr = await runtime.gateway.getMergeRequest(projectId, iid);
    process.stdout.write(`check-mr: !${mr.iid} "${mr.title}" (${mr.state}, ${mr.sha.slice(0, 8)}): no merge request rules are configured\n`);
    return 0;
  });
}
