import { describe, expect, it } from 'vitest';
import { formatLocal, fromLocal, isoWeekday, isTimeZone, nextDay, toLocal } from '../../src/sla/zonedTime.js';

describe('fromLocal', () => {
  it.each([
    { name: 'UTC', zone: 'UTC', local: { year: 2026, month: 11, day: 16, hour: 9 }, expected: '2026-11-16T09:00:00.000Z' },
    { name: 'Amsterdam in summer (CEST, +2)', zone: 'Europe/Amsterdam', local: { year: 2026, month: 6, day: 1, hour: 9 }, expected: '2026-06-01T07:00:00.000Z' },
    { name: 'Amsterdam in winter (CET, +1)', zone: 'Europe/Amsterdam', local: { year: 2026, month: 12, day: 1, hour: 9 }, expected: '2026-12-01T08:00:00.000Z' },
    { name: 'New York in winter (EST, -5)', zone: 'America/New_York', local: { year: 2026, month: 1, day: 5, hour: 17 }, expected: '2026-01-05T22:00:00.000Z' },
    { name: 'hour 24 is the next midnight', zone: 'America/New_York', local: { year: 2026, month: 12, day: 31, hour: 24 }, expected: '2027-01-01T05:00:00.000Z' },
    {
      name: 'a time skipped by spring-forward is read with the offset before it',
      zone: 'Europe/Amsterdam',
      local: { year: 2026, month: 3, day: 29, hour: 2, minute: 30 },
      expected: '2026-03-29T01:30:00.000Z',
    },
    {
      name: 'a time repeated by fall-back is its first occurrence',
      zone: 'Europe/Amsterdam',
      local: { year: 2026, month: 10, day: 25, hour: 2, minute: 30 },
      expected: '2026-10-25T00:30:00.000Z',
    },
    { name: 'a zone with a half-hour offset', zone: 'Asia/Kolkata', local: { year: 2026, month: 11, day: 16, hour: 9 }, expected: '2026-11-16T03:30:00.000Z' },
  ])('$name', ({ zone, local, expected }) => {
    expect(fromLocal(local, zone).toISOString()).toBe(expected);
  });

  it('reads back what toLocal shows', () => {
    const instant = new Date('2026-07-14T12:34:00Z');
    const local = toLocal(instant, 'America/New_York');
    expect(local).toMatchObject({ year: 2026, month: 7, day: 14, hour: 8, minute: 34 });
    expect(fromLocal(local, 'America/New_York').toISOString()).toBe(instant.toISOString());
  });
});

describe('calendar helpers', () => {
  it('steps over month and year ends and names ISO weekdays', () => {
    expect(nextDay({ year: 2026, month: 12, day: 31 })).toEqual({ year: 2027, month: 1, day: 1 });
    expect(nextDay({ year: 2028, month: 2, day: 28 })).toEqual({ year: 2028, month: 2, day: 29 });
    expect(isoWeekday({ year: 2026, month: 11, day: 16 })).toBe(1);
    expect(isoWeekday({ year: 2026, month: 11, day: 22 })).toBe(7);
  });

  it('formats an instant on the team clock and knows real zones', () => {
    expect(formatLocal(new Date('2026-11-20T13:05:00Z'), 'Europe/Amsterdam')).toBe('2026-11-20 14:05 Europe/Amsterdam');
    expect(isTimeZone('America/New_York')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
