import type { Runtime } from '../runtime.js';
import { runSla } from './sla.js';
import { runSweep } from './sweep.js';

export interface JobResult {
  /** The one summary line printed at the end of the run. */
  summary: string;
  failed: boolean;
}

export type Job = (runtime: Runtime, io: { out: NodeJS.WritableStream }) => Promise<JobResult>;

/** Scheduled jobs by name: `support-bot run <name>`, `SUPPORT_BOT_JOB=<name>` in CI. */
export const JOBS = {
  sweep: runSweep,
  sla: runSla,
} satisfies Record<string, Job>;

export type JobName = keyof typeof JOBS;

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOBS, name);
}
