import type { EventReport } from '../engine/bot.js';
import { sameUsername } from '../gitlab/usernames.js';
import { isWrite } from '../engine/changes.js';
import { printChanges } from '../jobs/report.js';
import { printWrites } from '../commands/output.js';
import type { Runtime } from '../runtime.js';
import { PayloadError, readTriggerPayload, type PayloadSourceOptions } from './payload.js';

// One webhook delivered as a pipeline trigger: read the body, validate it with the
// server's schemas, run the same Bot.handleEvent, print what happened. Used by
// `support-bot handle-event` and, in-process, by the sandbox's trigger runner.

export interface TriggerIO {
  out: NodeJS.WritableStream;
}

export interface TriggerOptions {
  payload: PayloadSourceOptions;
  /** Built only once the payload is known to be an event: a bad payload needs no token or config. */
  runtime: () => Runtime | Promise<Runtime>;
  /**
   * The bot's user as the job names it (SUPPORT_BOT_USERNAME, which wins over the config's):
   * its own events (the trigger pipelines its writes cause) stop before the payload is
   * validated and before the config, the token and the API client are even loaded.
   */
  botUsername?: string;
  io: TriggerIO;
}

/** What the run did, for callers that want more than the printed lines. */
export interface TriggerOutcome {
  code: 0 | 1;
  report?: EventReport;
  apiRequests: number;
}

function printReport(report: EventReport, out: NodeJS.WritableStream): number {
  if (report.status === 'ignored') return 0;
  let errors = 0;
  // The subject, then those re-planned because their notes quote it.
  for (const subject of [report.subject, ...report.quoting]) {
    printChanges(subject, out, '  ');
    const name = `${subject.project}${subject.kind === 'issue' ? '#' : '!'}${subject.iid}`;
    const failed = subject.outcomes.filter((o) => o.status === 'error');
    for (const e of failed) out.write(`  ${name} [${e.rule}] rule error: ${e.error}\n`);
    errors += failed.length;
  }
  return errors;
}

/**
 * Handles one trigger payload. Throws PayloadError (exit 2) for a missing, unreadable,
 * non-JSON or schema-failing payload; a write that fails after retries throws as well
 * (exit 1, through `guarded`). Resolves 1 when a rule raised an error, else 0.
 */
export async function handleTrigger(options: TriggerOptions): Promise<TriggerOutcome> {
  const { out } = options.io;
  const payload = readTriggerPayload(options.payload);
  // The bot's own events (the trigger pipelines its writes cause) stop on the body's actor,
  // before the event schemas, the config and the API client are even loaded.
  const actor = (payload.body as { user?: { username?: unknown } } | null)?.user?.username;
  if (typeof actor === 'string' && sameUsername(actor, options.botUsername)) {
    out.write(`handle-event: ignored: caused by the bot's own user @${options.botUsername} (0 API requests; ${payload.origin})\n`);
    return { code: 0, apiRequests: 0 };
  }
  const { parseEvent } = await import('../events/parse.js');
  const parsed = parseEvent(payload.body);
  if (parsed.status === 'invalid') throw new PayloadError(`the payload (${payload.origin}) is not a webhook body the bot reads: ${parsed.error}`);
  if (parsed.status === 'ignored') {
    out.write(`handle-event: ignored: ${parsed.reason} (0 API requests)\n`);
    return { code: 0, apiRequests: 0 };
  }
  const { event } = parsed;
  // GitLab's references: `group/project#1` an issue, `group/project!1` a merge request.
  const sigil = event.kind === 'merge_request' || event.kind === 'emoji' || event.key === 'note.merge_request' ? '!' : '#';
  out.write(`handle-event: ${event.key} ${event.projectPath}${sigil}${event.iid} by @${event.actor.username} (${payload.origin})\n`);

  const runtime = await options.runtime();
  const started = performance.now();
  const before = runtime.gateway.stats.total();
  const report = await runtime.bot.handleEvent(event);
  const apiRequests = runtime.gateway.stats.total() - before;
  const took = `${apiRequests} API requests, ${Math.round(performance.now() - started)} ms`;
  if (report.status === 'ignored') {
    out.write(`handle-event: ignored: ${report.reason} (${took})\n`);
    return { code: 0, report, apiRequests };
  }
  const ruleErrors = printReport(report, out);
  if (runtime.dryRun) printWrites(runtime.writer, out);
  const written = [report.subject, ...report.quoting].flatMap((r) => r.changes).filter(isWrite).length;
  const writes = runtime.dryRun ? `${written} writes planned (dry run)` : `${written} writes`;
  out.write(`handle-event: done: ${writes}, ${ruleErrors} rule errors, ${took}\n`);
  return { code: ruleErrors > 0 ? 1 : 0, report, apiRequests };
}
