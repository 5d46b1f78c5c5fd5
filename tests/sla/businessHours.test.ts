import { describe, expect, it } from 'vitest';
import { addBusinessHours, businessHoursBetween, formatHours, type BusinessHours } from '../../src/sla/businessHours.js';

const utcOffice: BusinessHours = { timezone: 'UTC', workingDays: [1, 2, 3, 4, 5], dayStartHour: 9, dayEndHour: 17 };
const amsterdam: BusinessHours = { ...utcOffice, timezone: 'Europe/Amsterdam' };
const newYork: BusinessHours = { ...utcOffice, timezone: 'America/New_York' };
const allDay = (timezone: string): BusinessHours => ({ timezone, workingDays: [1, 2, 3, 4, 5, 6, 7], dayStartHour: 0, dayEndHour: 24 });

// 2026-11-16 is a Monday. DST in 2026: Europe 29 March and 25 October, United States 8 March and 1 November (all Sundays).
describe('businessHoursBetween', () => {
  it.each([
    { name: 'inside one working day', hours: utcOffice, from: '2026-11-16T10:00:00Z', to: '2026-11-16T12:00:00Z', expected: 2 },
    { name: 'across a night', hours: utcOffice, from: '2026-11-16T16:00:00Z', to: '2026-11-17T10:00:00Z', expected: 2 },
    { name: 'across a weekend', hours: utcOffice, from: '2026-11-20T15:00:00Z', to: '2026-11-23T11:00:00Z', expected: 4 },
    { name: 'opened on a Saturday night', hours: utcOffice, from: '2026-11-21T22:00:00Z', to: '2026-11-23T09:30:00Z', expected: 0.5 },
    { name: 'opened before the day starts, measured at its start', hours: utcOffice, from: '2026-11-17T03:00:00Z', to: '2026-11-17T09:00:00Z', expected: 0 },
    { name: 'a whole working week', hours: utcOffice, from: '2026-11-16T09:00:00Z', to: '2026-11-23T09:00:00Z', expected: 40 },
    { name: 'the same instant', hours: utcOffice, from: '2026-11-16T10:00:00Z', to: '2026-11-16T10:00:00Z', expected: 0 },
    { name: 'an end before the start', hours: utcOffice, from: '2026-11-16T12:00:00Z', to: '2026-11-16T10:00:00Z', expected: 0 },
    { name: 'Amsterdam over the spring DST weekend (CET to CEST)', hours: amsterdam, from: '2026-03-27T15:00:00Z', to: '2026-03-30T08:00:00Z', expected: 2 },
    { name: 'Amsterdam over the autumn DST weekend (CEST to CET)', hours: amsterdam, from: '2026-10-23T14:00:00Z', to: '2026-10-26T09:00:00Z', expected: 2 },
    { name: 'New York over the spring DST weekend (EST to EDT)', hours: newYork, from: '2026-03-06T21:00:00Z', to: '2026-03-09T14:00:00Z', expected: 2 },
    { name: 'New York over the autumn DST weekend (EDT to EST)', hours: newYork, from: '2026-10-30T20:00:00Z', to: '2026-11-02T15:00:00Z', expected: 2 },
    {
      name: 'round the clock over the Amsterdam spring-forward weekend: one hour short',
      hours: allDay('Europe/Amsterdam'),
      from: '2026-03-27T23:00:00Z',
      to: '2026-03-29T22:00:00Z',
      expected: 47,
    },
    {
      name: 'round the clock over the Amsterdam fall-back weekend: one hour long',
      hours: allDay('Europe/Amsterdam'),
      from: '2026-10-23T22:00:00Z',
      to: '2026-10-25T23:00:00Z',
      expected: 49,
    },
    { name: 'the New York spring-forward Sunday has 23 hours', hours: allDay('America/New_York'), from: '2026-03-08T05:00:00Z', to: '2026-03-09T04:00:00Z', expected: 23 },
    {
      name: 'a working Sunday counts, a Friday off does not',
      hours: { ...utcOffice, workingDays: [7, 1, 2, 3, 4] },
      from: '2026-11-20T10:00:00Z',
      to: '2026-11-22T10:00:00Z',
      expected: 1,
    },
  ])('$name: $expected', ({ hours, from, to, expected }) => {
    expect(businessHoursBetween(new Date(from), new Date(to), hours)).toBeCloseTo(expected, 9);
  });
});

describe('addBusinessHours', () => {
  it.each([
    { name: 'zero hours on a Saturday is that instant', hours: utcOffice, from: '2026-11-21T22:00:00Z', add: 0, expected: '2026-11-21T22:00:00.000Z' },
    { name: 'a negative amount is that instant', hours: utcOffice, from: '2026-11-16T10:00:00Z', add: -3, expected: '2026-11-16T10:00:00.000Z' },
    { name: 'inside one working day', hours: utcOffice, from: '2026-11-16T10:00:00Z', add: 2, expected: '2026-11-16T12:00:00.000Z' },
    { name: 'a quarter of an hour', hours: utcOffice, from: '2026-11-16T10:00:00Z', add: 0.25, expected: '2026-11-16T10:15:00.000Z' },
    { name: 'into the next morning', hours: utcOffice, from: '2026-11-16T16:00:00Z', add: 2, expected: '2026-11-17T10:00:00.000Z' },
    { name: 'over a weekend', hours: utcOffice, from: '2026-11-20T16:00:00Z', add: 2, expected: '2026-11-23T10:00:00.000Z' },
    { name: 'opened on a Saturday night', hours: utcOffice, from: '2026-11-21T22:00:00Z', add: 1, expected: '2026-11-23T10:00:00.000Z' },
    { name: 'ends at closing time, not at the next opening', hours: utcOffice, from: '2026-11-20T17:00:00Z', add: 8, expected: '2026-11-23T17:00:00.000Z' },
    { name: 'two working weeks', hours: utcOffice, from: '2026-11-16T09:00:00Z', add: 80, expected: '2026-11-27T17:00:00.000Z' },
    { name: 'Amsterdam over the spring DST weekend', hours: amsterdam, from: '2026-03-27T15:00:00Z', add: 2, expected: '2026-03-30T08:00:00.000Z' },
    { name: 'New York over the autumn DST weekend', hours: newYork, from: '2026-10-30T20:00:00Z', add: 2, expected: '2026-11-02T15:00:00.000Z' },
    {
      name: 'round the clock across the New York spring-forward night',
      hours: allDay('America/New_York'),
      from: '2026-03-08T06:00:00Z',
      add: 2,
      expected: '2026-03-08T08:00:00.000Z',
    },
  ])('$name', ({ hours, from, add, expected }) => {
    expect(addBusinessHours(new Date(from), add, hours).toISOString()).toBe(expected);
  });

  it.each([
    { hours: utcOffice, from: '2026-11-18T13:37:00Z', add: 13.5 },
    { hours: amsterdam, from: '2026-03-26T07:00:00Z', add: 21 },
    { hours: newYork, from: '2026-10-29T23:00:00Z', add: 12 },
    { hours: allDay('Europe/Amsterdam'), from: '2026-10-24T20:00:00Z', add: 30 },
  ])('is the inverse of businessHoursBetween ($hours.timezone, +$add h)', ({ hours, from, add }) => {
    const start = new Date(from);
    expect(businessHoursBetween(start, addBusinessHours(start, add, hours), hours)).toBeCloseTo(add, 9);
  });

  it('refuses settings with no working time instead of looping', () => {
    expect(() => addBusinessHours(new Date(), 1, { ...utcOffice, workingDays: [] })).toThrow(/no working hours/);
    expect(() => businessHoursBetween(new Date(0), new Date(), { ...utcOffice, dayStartHour: 17, dayEndHour: 9 })).toThrow(/no working hours/);
    expect(() => addBusinessHours(new Date(), Number.POSITIVE_INFINITY, utcOffice)).toThrow(/cannot add/);
  });
});

describe('formatHours', () => {
  it.each([
    [12, '12'],
    [3.25, '3.3'],
    [0, '0'],
    [79.99, '80'],
  ])('%d reads %s', (hours, expected) => expect(formatHours(hours)).toBe(expected));
});
