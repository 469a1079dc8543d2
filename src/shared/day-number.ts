const dayCache = new Map<string, number>();

/**
 * Days since 1970-01-01 of an ISO date (YYYY-MM-DD…), cached: the matcher and the column
 * collector call it for every record, and a snapshot has few distinct dates.
 */
export function dayNumber(date: string): number {
  let day = dayCache.get(date);
  if (day === undefined) {
    day = Math.floor(
      Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86400000,
    );
    if (dayCache.size < 100_000) dayCache.set(date, day);
  }
  return day;
}
