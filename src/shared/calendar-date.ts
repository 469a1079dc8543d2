/**
 * The one check of calendar validity every date reader uses (importers, the canonical schema and
 * its fast twin): month 1–12, a day that exists in that month (leap years included), and a year in
 * the range any refund can have. A date that passes the YYYY-MM-DD pattern but not this check
 * (2024-02-30, 2024-13-99, 0000-00-00) would otherwise turn into another day, or a year such as
 * +010007, when the engine counts days.
 */

export const MIN_YEAR = 1900;
export const MAX_YEAR = 2999;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

/** True when year y, month m (1–12), day d name a real day between MIN_YEAR and MAX_YEAR. */
export function validYmd(y: number, m: number, d: number): boolean {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return false;
  if (m < 1 || m > 12 || d < 1 || y < MIN_YEAR || y > MAX_YEAR) return false;
  return d <= (m === 2 && isLeapYear(y) ? 29 : DAYS_IN_MONTH[m - 1]!);
}

/** True for exactly `YYYY-MM-DD` naming a real day (validYmd). */
export function isCalendarDate(text: string): boolean {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return false;
  let y = 0;
  let m = 0;
  let d = 0;
  for (let i = 0; i < 10; i++) {
    if (i === 4 || i === 7) continue;
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return false;
    if (i < 4) y = y * 10 + digit;
    else if (i < 7) m = m * 10 + digit;
    else d = d * 10 + digit;
  }
  return validYmd(y, m, d);
}

export const CALENDAR_DATE_MESSAGE = `expected a real calendar date YYYY-MM-DD between ${MIN_YEAR} and ${MAX_YEAR}`;
