import { fromLocal, isoWeekday, nextDay, toLocal, type LocalDate } from './zonedTime.js';

// Business-hours arithmetic: only the team's working hours on its working days, read
// on the wall clock of its time zone (so a DST change moves the UTC window, not its length).

export interface BusinessHours {
  /** IANA zone, e.g. "Europe/Amsterdam". */
  timezone: string;
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  workingDays: readonly number[];
  /** Local hour the working day starts (0-23). */
  dayStartHour: number;
  /** Local hour it ends (1-24, after the start). */
  dayEndHour: number;
}

const HOUR_MS = 3600 * 1000;

interface Window {
  start: number;
  end: number;
}

/** The working windows from the local day that contains `from` on, in order, without end. */
function* workingWindows(from: Date, hours: BusinessHours): Generator<Window> {
  if (hours.workingDays.length === 0 || hours.dayEndHour <= hours.dayStartHour) {
    throw new Error(`sla: no working hours (workingDays ${JSON.stringify(hours.workingDays)}, ${hours.dayStartHour}-${hours.dayEndHour})`);
  }
  const days = new Set(hours.workingDays);
  const local = toLocal(from, hours.timezone);
  let date: LocalDate = { year: local.year, month: local.month, day: local.day };
  for (;;) {
    if (days.has(isoWeekday(date))) yield windowOf(date, hours);
    date = nextDay(date);
  }
}

// Every issue's target walks the same few weeks of days: reading each day's window off the
// zone once (Intl is slow, ~1 ms per issue without this) keeps applies() cheap on big trackers.
const windows = new Map<string, Window>();
const MAX_CACHED_WINDOWS = 100_000;

function windowOf(date: LocalDate, hours: BusinessHours): Window {
  const key = `${hours.timezone}|${date.year}-${date.month}-${date.day}|${hours.dayStartHour}-${hours.dayEndHour}`;
  let window = windows.get(key);
  if (!window) {
    if (windows.size >= MAX_CACHED_WINDOWS) windows.clear();
    window = {
      start: fromLocal({ ...date, hour: hours.dayStartHour }, hours.timezone).getTime(),
      end: fromLocal({ ...date, hour: hours.dayEndHour }, hours.timezone).getTime(),
    };
    windows.set(key, window);
  }
  return window;
}

/** Business hours between two instants; 0 when `to` is not after `from`. */
export function businessHoursBetween(from: Date, to: Date, hours: BusinessHours): number {
  const end = to.getTime();
  let total = 0;
  if (end <= from.getTime()) return 0;
  for (const w of workingWindows(from, hours)) {
    if (w.start >= end) break;
    total += Math.max(0, Math.min(w.end, end) - Math.max(w.start, from.getTime()));
  }
  return total / HOUR_MS;
}

/**
 * The first instant at which `amount` business hours have passed since `from`. Zero (or
 * less) is `from` itself, even outside working hours; a positive amount always ends
 * inside a working window, never on a weekend.
 */
export function addBusinessHours(from: Date, amount: number, hours: BusinessHours): Date {
  if (!(amount > 0)) return new Date(from);
  if (!Number.isFinite(amount)) throw new Error(`sla: cannot add ${amount} business hours`);
  // Whole milliseconds: 12 × 0.8 is 9.600000000000001 in floating point, not a moment later than 9.6.
  let remaining = Math.round(amount * HOUR_MS);
  for (const w of workingWindows(from, hours)) {
    const start = Math.max(w.start, from.getTime());
    const available = w.end - start;
    if (available <= 0) continue;
    if (remaining <= available) return new Date(start + remaining);
    remaining -= available;
  }
  throw new Error('unreachable: working windows never end');
}

/** Hours for people: one decimal, none when whole ("12", "3.5"). */
export function formatHours(hours: number): string {
  return String(Math.round(hours * 10) / 10);
}
