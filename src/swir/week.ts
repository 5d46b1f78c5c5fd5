import { fromLocal, isoWeekday, nextDay, toLocal, type LocalDate } from '../sla/zonedTime.js';

// ISO 8601 weeks read on the wall clock of a time zone: Monday 00:00:00 to Sunday
// 23:59:59 local time, whatever the zone's offset (or its DST change) in between.

/** An ISO week and its exact boundaries in one zone. */
export interface IsoWeek {
  /** `2026-W48`. */
  key: string;
  year: number;
  week: number;
  timezone: string;
  /** Monday 00:00:00.000 local time. */
  start: Date;
  /** Sunday 23:59:59.999 local time: the last instant of the week. */
  end: Date;
  /** The seven local days, Monday first (`2026-11-23`). */
  days: string[];
}

const WEEK_PATTERN = /^(\d{4})-W(\d{2})$/;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function formatDay(date: LocalDate): string {
  return `${date.year}-${pad(date.month)}-${pad(date.day)}`;
}

/** The ISO year and week of a calendar date (the week belongs to the year of its Thursday). */
export function isoWeekOf(date: LocalDate): { year: number; week: number } {
  const thursday = addDays(date, 4 - isoWeekday(date));
  const jan1 = Date.UTC(thursday.year, 0, 1);
  const week = Math.floor((Date.UTC(thursday.year, thursday.month - 1, thursday.day) - jan1) / 86_400_000 / 7) + 1;
  return { year: thursday.year, week };
}

/** The Monday of an ISO week. */
function mondayOf(year: number, week: number): LocalDate {
  // 4 January is always in week 1.
  const jan4: LocalDate = { year, month: 1, day: 4 };
  return addDays(jan4, (week - 1) * 7 - (isoWeekday(jan4) - 1));
}

function weeksInYear(year: number): number {
  return isoWeekOf({ year, month: 12, day: 28 }).week;
}

function build(year: number, week: number, timezone: string): IsoWeek {
  const monday = mondayOf(year, week);
  const nextMonday = addDays(monday, 7);
  const days: string[] = [];
  for (let d = monday, i = 0; i < 7; d = nextDay(d), i += 1) days.push(formatDay(d));
  return {
    key: `${year}-W${pad(week)}`,
    year,
    week,
    timezone,
    start: fromLocal({ ...monday, hour: 0 }, timezone),
    end: new Date(fromLocal({ ...nextMonday, hour: 0 }, timezone).getTime() - 1),
    days,
  };
}

/** `2026-W48` in a zone; an error that says what is expected for anything else. */
export function parseIsoWeek(text: string, timezone: string): IsoWeek {
  const match = WEEK_PATTERN.exec(text.trim());
  if (!match) throw new Error(`--week: expected an ISO week like "2026-W48" (got "${text}")`);
  const year = Number(match[1]);
  const week = Number(match[2]);
  if (week < 1 || week > weeksInYear(year)) throw new Error(`--week: ${year} has weeks 01 to ${weeksInYear(year)} (got "${text}")`);
  return build(year, week, timezone);
}

/** The ISO week that contains an instant, read in a zone. */
export function weekContaining(instant: Date, timezone: string): IsoWeek {
  const local = toLocal(instant, timezone);
  const { year, week } = isoWeekOf(local);
  return build(year, week, timezone);
}

/** The local day (`2026-11-23`) an instant falls on. */
export function localDay(instant: Date, timezone: string): string {
  return formatDay(toLocal(instant, timezone));
}

/** Whether an instant is inside the week, both boundaries included. */
export function inWeek(instant: Date | null | undefined, week: IsoWeek): boolean {
  return !!instant && instant.getTime() >= week.start.getTime() && instant.getTime() <= week.end.getTime();
}

/** The ISO weekday (1 = Monday) from which a run without `--week` reviews the current week. */
export const PUBLISH_WEEKDAY = 5;

/**
 * The week a run without `--week` reviews: from Friday on, the current week so far (the
 * handbook's "Every Friday, we do a week in review"); Monday to Thursday, the week before,
 * now complete, so Monday's run finalises it with Friday afternoon and the weekend counted.
 */
export function weekToReview(now: Date, timezone: string): IsoWeek {
  const local = toLocal(now, timezone);
  if (isoWeekday(local) >= PUBLISH_WEEKDAY) return weekContaining(now, timezone);
  const { year, week } = isoWeekOf(addDays(local, -7));
  return build(year, week, timezone);
}
