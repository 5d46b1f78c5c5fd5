import type { Runtime } from '../runtime.js';
import { runDormant } from './dormant.js';
import { isJobName, type JobName } from './names.js';
import { runSla } from './sla.js';
import { runSweep } from './sweep.js';
import { runSwir } from './swir.js';

export interface JobResult {
  /** The one summary line printed at the end of the run. */
  summary: string;
  failed: boolean;
}

/** Where a job prints, and the options of `run <job>` that only some jobs read. */
export interface JobIO {
  out: NodeJS.WritableStream;
  /** `run dormant --apply-rename`: the dormant job may release namespaces (other jobs refuse the flag). */
  applyRename?: boolean;
  /** `--week YYYY-Www` (swir). */
  week?: string;
  /** `--output FILE.md` (swir). */
  output?: string;
}

export type Job = (runtime: Runtime, io: JobIO) => Promise<JobResult>;

/** Scheduled jobs by name: `support-bot run <name>`, `SUPPORT_BOT_JOB=<name>` in CI. Exactly the names in `JOB_NAMES`. */
export const JOBS: { readonly [K in JobName]: Job } = {
  sweep: runSweep,
  sla: runSla,
  dormant: runDormant,
  swir: runSwir,
};

export { isJobName, type JobName };
