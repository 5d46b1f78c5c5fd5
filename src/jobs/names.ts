/**
 * The names of the scheduled jobs. `JOBS` in `./index.ts` must have exactly these keys,
 * so a rule cannot declare a job that nothing runs. A leaf module: rules import it.
 */
export const JOB_NAMES = ['sweep', 'sla', 'dormant', 'swir'] as const;

export type JobName = (typeof JOB_NAMES)[number];

export function isJobName(name: string): name is JobName {
  return (JOB_NAMES as readonly string[]).includes(name);
}
