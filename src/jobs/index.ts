import { runDormant } from './dormant.js';
import { isJobName, type JobName } from './names.js';
import { runSla } from './sla.js';
import { runSweep } from './sweep.js';
import { runSwir } from './swir.js';
import type { Job } from './types.js';

export type { Job, JobIO, JobResult } from './types.js';

/** Scheduled jobs by name: `support-bot run <name>`, `SUPPORT_BOT_JOB=<name>` in CI. Exactly the names in `JOB_NAMES`. */
export const JOBS: { readonly [K in JobName]: Job } = {
  sweep: runSweep,
  sla: runSla,
  dormant: runDormant,
  swir: runSwir,
};

export { isJobName, type JobName };
