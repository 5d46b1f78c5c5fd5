import { checkedInstanceUrl, readEnv } from '../config/env.js';
import { loadConfig } from '../config/load.js';
import { isWrite } from '../engine/changes.js';
import { createLogger } from '../logger.js';
import { approvalArtifact } from '../rules/approvalArtifact.js';
import type { Trigger } from '../rules/types.js';
import { createRuntime, SetupError } from '../runtime.js';
import { guarded, redacting } from './common.js';

/** A CI variable holding an id: undefined when unset, a setup error naming it when it is not a number. */
function ciNumber(name: string): number | undefined {
  const value = process.env[name];
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw new SetupError(`check-mr: ${name} is not a number (${JSON.stringify(value.slice(0, 20))})`);
  return Number(value);
}

/**
 * The merge request pipeline job: does this merge request carry a visible artifact of
 * approval? Prints what it found; exits 0 with one (or out of scope), 1 without, 2 without a
 * verdict (a CI variable missing or malformed, a read the check needs refused or failing). Writes
 * nothing unless `--set-status` (then only the commit status).
 */
export function checkMrCommand(options: { dryRun: boolean; setStatus: boolean }): Promise<number> {
  return guarded(async () => {
    // Whatever a job prints goes through the same secret redaction as stderr.
    const stdout = redacting(process.stdout);
    const projectId = ciNumber('CI_MERGE_REQUEST_PROJECT_ID') ?? ciNumber('CI_PROJECT_ID');
    const iid = ciNumber('CI_MERGE_REQUEST_IID');
    if (projectId === undefined || iid === undefined) {
      throw new SetupError('check-mr: CI_MERGE_REQUEST_IID and CI_MERGE_REQUEST_PROJECT_ID (or CI_PROJECT_ID) must be set: run it in a merge_request_event pipeline');
    }
    if (!process.env.GITLAB_TOKEN)
      throw new SetupError('check-mr: GITLAB_TOKEN is not set (a masked CI/CD variable holding the bot token with the api scope; CI_JOB_TOKEN cannot read approvals)');
    // Inside a pipeline the instance is the one running it (CI_SERVER_URL), unless GITLAB_URL says
    // otherwise: a project's own job needs no GITLAB_URL, and comment links on that host are read.
    const env = readEnv();
    env.gitlabUrl ??= checkedInstanceUrl('CI_SERVER_URL', process.env.CI_SERVER_URL);
    const runtime = createRuntime({ log: createLogger(), dryRun: options.dryRun, loaded: loadConfig(), env });
    const { bot, gateway } = runtime;
    // A token that cannot read the project is a setup problem (exit 2), not "no artifact".
    const project = await gateway.getProject(projectId).catch((error: unknown) => {
      throw new SetupError(`check-mr: the token cannot read project ${projectId}: ${error instanceof Error ? error.message : String(error)}`);
    });
    const key = bot.projects.keyFor(project.id, project.pathWithNamespace);
    const out = (line: string) => stdout.write(`check-mr: ${line}\n`);
    if (!key) {
      out(`${project.pathWithNamespace}!${iid}: out of scope (the project is not configured)`);
      return 0;
    }
    const scope = await bot.projects.resolve(key);
    const subject = await bot.readSubject(scope, 'merge_request', iid);
    if (!subject || subject.kind !== 'merge_request')
      throw new SetupError(`check-mr: merge request ${project.pathWithNamespace}!${iid} does not exist or the token cannot read it`);
    const name = `${scope.path}!${iid}`;
    const trigger: Trigger = { kind: 'command', command: 'check-mr' };
    const plan = await bot.planOnly(subject, trigger, [approvalArtifact]);
    const error = plan.outcomes.find((o) => o.status === 'error');
    // No verdict is not "no artifact" (exit 1): a read the check needs failed (a token without access to the approvals or the approver groups, GitLab down).
    if (error) throw new SetupError(`check-mr: ${name}: could not check: ${error.error}`);
    const status = plan.planned.find((p) => p.action.type === 'setCommitStatus');
    if (!status || status.action.type !== 'setCommitStatus') {
      out(
        subject.mergeRequest.state !== 'opened'
          ? `${name}: not open (${subject.mergeRequest.state}), nothing to check`
          : `${name}: out of scope (changes no path under approvals.scope)`,
      );
      return 0;
    }
    const found = status.action.state === 'success';
    out(`${name}${subject.mergeRequest.draft ? ' (draft)' : ''}: ${found ? 'approval artifact found' : 'no approval artifact'}: ${status.reason}`);
    if (options.setStatus) {
      const changes = await bot.executor().apply(subject, [status]);
      out(
        changes.some(isWrite)
          ? `${runtime.dryRun ? 'would set' : 'set'} commit status ${status.action.name} = ${status.action.state} on ${status.action.sha.slice(0, 8)}`
          : `commit status ${status.action.name} is already ${status.action.state}`,
      );
    }
    return found ? 0 : 1;
  });
}
