import { CronExpressionParser } from 'cron-parser';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { schedulesSchema } from '../../src/config/schema.js';
import { parseIsoWeek, weekToReview } from '../../src/swir/week.js';

// The swir schedule and the week a run without --week reviews go together: some run of a
// week publishes it so far (Friday on), and a run of the next week finalises it (Monday to
// Thursday), in the shipped config and in the schema's default alike.
describe('the swir schedule publishes each week and finalises it', () => {
  const shipped = loadConfig('config/support-bot.yml').config.schedules;
  const defaults = schedulesSchema.parse({});

  it.each([
    ['the shipped config', shipped.jobs.swir!, shipped.timezone],
    ["the schema's default", defaults.jobs.swir!, defaults.timezone],
  ])('%s', (_name, cron, tz) => {
    const week = parseIsoWeek('2026-W13', 'UTC');
    const runs = CronExpressionParser.parse(cron, { currentDate: week.start, endDate: new Date(week.end.getTime() + 7 * 86_400_000), tz });
    const reviewed: string[] = [];
    while (runs.hasNext()) {
      const at = runs.next().toDate();
      const review = weekToReview(at, 'UTC');
      reviewed.push(`${review.key} ${at < review.end ? 'so far' : 'final'}`);
    }
    expect(reviewed).toContain('2026-W13 so far');
    expect(reviewed).toContain('2026-W13 final');
    expect(cron).toBe('0 12 * * 1,5');
  });
});
