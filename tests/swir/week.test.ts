import { describe, expect, it } from 'vitest';
import { inWeek, isoWeekOf, parseIsoWeek, weekContaining, weekToReview } from '../../src/swir/week.js';

describe('ISO weeks in a time zone', () => {
  it.each([
    [{ year: 2026, month: 11, day: 23 }, 2026, 48],
    [{ year: 2026, month: 11, day: 29 }, 2026, 48],
    [{ year: 2025, month: 12, day: 29 }, 2026, 1], // the Monday of 2026-W01 is in 2025
    [{ year: 2027, month: 1, day: 3 }, 2026, 53], // a Sunday still in the last week of 2026
    [{ year: 2021, month: 1, day: 3 }, 2020, 53],
    [{ year: 2024, month: 12, day: 30 }, 2025, 1],
  ])('%o is in %i-W%i', (date, year, week) => {
    expect(isoWeekOf(date)).toEqual({ year, week });
  });

  it('runs from Monday 00:00:00 to Sunday 23:59:59.999 in UTC', () => {
    const w = parseIsoWeek('2026-W48', 'UTC');
    expect(w.start.toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(w.end.toISOString()).toBe('2026-11-29T23:59:59.999Z');
    expect(w.days).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']);
  });

  it("reads the boundaries on the zone's wall clock, across a DST change", () => {
    // Amsterdam moves from CET (+1) to CEST (+2) on Sunday 2026-03-29.
    const w = parseIsoWeek('2026-W13', 'Europe/Amsterdam');
    expect(w.start.toISOString()).toBe('2026-03-22T23:00:00.000Z');
    expect(w.end.toISOString()).toBe('2026-03-29T21:59:59.999Z');
    expect(inWeek(new Date('2026-03-22T22:59:59.999Z'), w)).toBe(false);
    expect(inWeek(new Date('2026-03-22T23:00:00.000Z'), w)).toBe(true);
    expect(inWeek(new Date('2026-03-29T21:59:59.999Z'), w)).toBe(true);
    expect(inWeek(new Date('2026-03-29T22:00:00.000Z'), w)).toBe(false);
    const tokyo = parseIsoWeek('2026-W48', 'Asia/Tokyo');
    expect(tokyo.start.toISOString()).toBe('2026-11-22T15:00:00.000Z');
  });

  it('finds the week of an instant in the zone, not in UTC', () => {
    // Sunday 23:30 UTC is already Monday in Tokyo.
    expect(weekContaining(new Date('2026-11-29T23:30:00Z'), 'UTC').key).toBe('2026-W48');
    expect(weekContaining(new Date('2026-11-29T23:30:00Z'), 'Asia/Tokyo').key).toBe('2026-W49');
  });

  it('refuses what is not an ISO week, saying what is expected', () => {
    expect(() => parseIsoWeek('2026-48', 'UTC')).toThrow(/expected an ISO week like "2026-W48"/);
    expect(() => parseIsoWeek('2026-W53', 'UTC')).not.toThrow();
    expect(() => parseIsoWeek('2025-W53', 'UTC')).toThrow(/2025 has weeks 01 to 52/);
    expect(() => parseIsoWeek('2026-W00', 'UTC')).toThrow(/weeks 01 to 53/);
  });

  it.each([
    // Without --week: Monday to Thursday finalise the week before, Friday to Sunday publish the current one.
    ['2026-03-30T00:00:00Z', 'UTC', '2026-W13'], // Monday's first second: last week, now complete
    ['2026-03-29T23:59:59Z', 'UTC', '2026-W13'], // Sunday's last second: this week
    ['2026-04-02T23:59:59Z', 'UTC', '2026-W13'], // Thursday's last second: still last week
    ['2026-04-03T00:00:00Z', 'UTC', '2026-W14'], // Friday's first second: this week so far
    ['2026-03-26T23:30:00Z', 'Europe/Amsterdam', '2026-W13'], // Friday 00:30 in Amsterdam, still Thursday in UTC
    ['2026-03-26T23:30:00Z', 'UTC', '2026-W12'],
    ['2027-01-04T12:00:00Z', 'UTC', '2026-W53'], // Monday of 2027-W01 finalises the last week of 2026
  ])('a run at %s in %s reviews %s', (at, zone, key) => {
    expect(weekToReview(new Date(at), zone).key).toBe(key);
  });
});
