import { describe, expect, it } from 'vitest';
import { addBusinessHours, businessHoursBetween, type BusinessHours } from '../../src/sla/businessHours.js';
import { firstResponseTarget } from '../../src/sla/target.js';
import { defaultConfig } from '../helpers/builders.js';

// The working window of each local date is read off the zone once and remembered:
// one zone's or one schedule's windows must never answer for another's.
const office = (timezone: string, dayStartHour = 9, dayEndHour = 17): BusinessHours => ({ timezone, workingDays: [1, 2, 3, 4, 5], dayStartHour, dayEndHour });

describe('remembered working windows', () => {
  it.each([
    { name: 'UTC', hours: office('UTC'), expected: '2026-11-16T10:00:00.000Z' },
    { name: 'Amsterdam, same date', hours: office('Europe/Amsterdam'), expected: '2026-11-16T09:00:00.000Z' },
    { name: 'New York, same date', hours: office('America/New_York'), expected: '2026-11-16T15:00:00.000Z' },
    { name: 'UTC again, other hours', hours: office('UTC', 7, 15), expected: '2026-11-16T08:00:00.000Z' },
    { name: 'UTC once more', hours: office('UTC'), expected: '2026-11-16T10:00:00.000Z' },
  ])('one hour into Monday 2026-11-16: $name', ({ hours, expected }) => {
    const midnight = new Date('2026-11-16T00:00:00Z');
    expect(addBusinessHours(midnight, 1, hours).toISOString()).toBe(expected);
  });

  it('keeps targets cheap enough for applies() on every open issue of a big tracker', () => {
    const config = { ...defaultConfig, sla: { ...defaultConfig.sla, timezone: 'Europe/Amsterdam' } };
    const started = performance.now();
    for (let i = 0; i < 10_000; i += 1) {
      firstResponseTarget({ labels: ['template::contact-request'], createdAt: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000) }, config);
    }
    // Reading the zone for every window took about 13 s here; remembered, about 0.3 s.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(businessHoursBetween(new Date('2026-03-27T15:00:00Z'), new Date('2026-03-30T08:00:00Z'), office('Europe/Amsterdam'))).toBeCloseTo(2, 9);
  });
});
