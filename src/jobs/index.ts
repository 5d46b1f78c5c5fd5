import type { Runtime } from '../runtime.js';
import { isJobName, type JobName } from './names.js';
import { runSla } from './sla.js';
import { runSweep } from './sweep.js';

export interface JobResult {
  /** The one summary line printed at the end of the run. */
  summary: string;
  failed: boolean;
}

export type Job = (runtime: Runtime, io: { out: NodeJS.WritableStream }) => Promise<JobResult>;

/** Scheduled jobs by name: `support-bot run <name>`, `SUPPORT_BOT_JOB=<name>` in CI. Exactly the names in `JOB_NAMES`. */
export const JOBS: { readonly [K in JobName]: Job } = {
  sweep: runSweep,
  sla: runSla,
};

export { isJobName, type JobName };
