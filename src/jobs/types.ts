import type { Runtime } from '../runtime.js';

// What every scheduled job is: the registry (`./index.ts`) and the jobs import these.

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
