import { statSync } from 'node:fs';
import { SetupError } from '../config/env.js';
import { parseIsoWeek } from '../swir/week.js';

// `run swir --week … --output …`, checked before anything runs: a bad value is exit 2 with
// its reason, not a review of a week in 1900 or a raw EISDIR after the review was computed.

/** ISO week-years the review can be about: GitLab's timestamps start in 1970; four digits end at 9999. */
const FIRST_YEAR = 1970;

export function checkSwirOptions(options: { week?: string; output?: string }): void {
  if (options.week !== undefined) {
    const year = Number(/^\s*(\d{4})-W/.exec(options.week)?.[1]);
    if (Number.isInteger(year) && year < FIRST_YEAR) throw new SetupError(`--week: "${options.week}" is out of range (weeks of ${FIRST_YEAR} to 9999)`);
    try {
      parseIsoWeek(options.week, 'UTC');
    } catch (error) {
      throw new SetupError((error as Error).message);
    }
  }
  const output = options.output;
  if (output !== undefined) {
    if (output.trim() === '') throw new SetupError('--output: expected a file, or a directory ending in "/" (got "")');
    if (!/[\\/]$/.test(output) && statSync(output, { throwIfNoEntry: false })?.isDirectory())
      throw new SetupError(`--output: "${output}" is a directory; end it with "/" to write swir-<week>.md into it, or name a file`);
  }
}
