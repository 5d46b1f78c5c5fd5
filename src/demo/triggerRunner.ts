import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { guarded } from '../commands/common.js';
import { CLI_ENTRY } from '../shipped/files.js';
import type { Runtime } from '../runtime.js';
import type { Sandbox } from '../sandbox/index.js';
import { handleTrigger } from '../trigger/handle.js';
import { PAYLOAD_VARIABLE } from '../trigger/payload.js';

// The sandbox playing GitLab's "webhook → pipeline trigger" path: each webhook body
// for the chosen projects is written to a file, as GitLab does for the file-type
// variable TRIGGER_PAYLOAD, and `handle-event` runs on it (as a real process, or
// in-process for the demo). The sandbox awaits each listener in turn, so runs never
// overlap: what a single `resource_group` gives the CI job.

export interface TriggerResult {
  code: number;
  /** stdout and stderr together, in order. */
  output: string;
}

export interface TriggerRun extends TriggerResult {
  payloadFile: string;
  /** Start of the run (process spawn, or the call) to its end. */
  ms: number;
}

/** Runs `handle-event` with TRIGGER_PAYLOAD pointing at a payload file. */
export type TriggerExecutor = (payloadFile: string) => Promise<TriggerResult>;

/** `support-bot handle-event` (dist/cli.js or the bundle) as its own process, as the CI job runs it; `env` adds to (or, with undefined, removes from) this process's. */
export function processTrigger(options: { env: Record<string, string | undefined>; cli?: string; args?: string[] }): TriggerExecutor {
  const cli = options.cli ?? CLI_ENTRY;
  return (payloadFile) =>
    new Promise((done, fail) => {
      // An undefined value removes the variable (spawn would pass the text "undefined").
      const env = Object.fromEntries(Object.entries({ ...process.env, ...options.env, [PAYLOAD_VARIABLE]: payloadFile }).filter(([, v]) => v !== undefined));
      const child = spawn(process.execPath, [cli, 'handle-event', ...(options.args ?? [])], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.on('error', fail);
      child.on('close', (code) => done({ code: code ?? 1, output }));
    });
}

/** The same command body in this process, with a fresh runtime per run (each pipeline starts cold). */
export function inProcessTrigger(runtime: () => Runtime): TriggerExecutor {
  return async (payloadFile) => {
    let output = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, next) {
        output += chunk.toString();
        next();
      },
    });
    const code = await guarded(async () => {
      const outcome = await handleTrigger({ payload: { env: { [PAYLOAD_VARIABLE]: payloadFile } }, runtime, io: { out: sink } });
      return outcome.code;
    }, sink);
    return { code, output };
  };
}

export interface TriggerDelivery {
  runs: TriggerRun[];
  /** Stops turning webhooks into runs. */
  detach(): void;
}

/** Delivers every webhook of the given projects (ids or full paths) as a pipeline trigger run. */
export function deliverWebhooksAsTriggers(
  sandbox: Sandbox,
  options: { projects: readonly (number | string)[]; run: TriggerExecutor; onRun?: (run: TriggerRun) => void },
): TriggerDelivery {
  const projectIds = new Set(options.projects.map((p) => sandbox.store.requireProject(p).id));
  const dir = mkdtempSync(join(tmpdir(), 'support-bot-trigger-'));
  const runs: TriggerRun[] = [];
  let delivered = 0;
  const detach = sandbox.onWebhook(async ({ projectId, body }) => {
    if (!projectIds.has(projectId)) return;
    delivered += 1;
    const payloadFile = join(dir, `payload-${delivered}.json`);
    // GitLab writes the trigger request's parameters, not the bare body (pipeline_trigger_service.rb,
    // `payload_variable`): the body's keys plus the URL's `id` and `ref`, and `variables`.
    writeFileSync(payloadFile, JSON.stringify({ ...(body as object), id: String(projectId), ref: 'main', variables: {} }));
    const started = performance.now();
    const result = await options.run(payloadFile);
    const run: TriggerRun = { ...result, payloadFile, ms: performance.now() - started };
    runs.push(run);
    options.onRun?.(run);
  });
  return { runs, detach };
}
