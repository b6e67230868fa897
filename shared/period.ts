// Reporting periods. Period "YYYY-MM" covers the start day of the previous month up to
// the day before the start day in month MM (Plan 128: 16th → 15th), and is due on the
// due day of month MM, local time. Start and due day are configuration: other provinces
// use other windows (the national rule counts from the 15th to the 14th).

export interface PeriodConfig {
  /** First day of a period, in the previous month (1 = calendar month). */
  startDay: number;
  /** Reports are on time when accepted by the end of this day of the period's month. */
  dueDay: number;
  /** IANA zone the days are counted in. */
  timeZone: string;
}

export const PLAN_128_PERIODS: PeriodConfig = { startDay: 16, dueDay: 20, timeZone: 'Asia/Ho_Chi_Minh' };

/** A calendar day, as written on a report (no time, no zone). */
export interface LocalDate {
  year: number;
  month: number; // 1-12
  day: number;
}

const PERIOD_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** "2022-06" → "06/2022": how a period is written for people (Vietnamese MM/YYYY). */
/** A local date as YYYY-MM-DD (the reminder log's day key, the portal's period dates). */
export function isoDay(d: LocalDate): string {
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

export function periodLabel(period: string): string {
  return `${period.slice(5)}/${period.slice(0, 4)}`;
}

/** Periods from `from` to `to`, as messages write them: "05/2022–12/2022". */
export function periodSpan(from: string, to: string): string {
  return `${periodLabel(from)}–${periodLabel(to)}`;
}

export function isPeriod(text: string): boolean {
  return PERIOD_RE.test(text);
}

/** The years a period may be in, wherever one is typed: a typo like 9999-12 is refused, not computed with. */
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2100;

/** An instant with its zone: "2022-06-18T08:00:00+07:00" or "…Z". Without one, whose 08:00? The machine's, which decides on time or late. */
export function isZonedInstant(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) && !Number.isNaN(Date.parse(text));
}

export function isPlanYear(year: number): boolean {
  return year >= FIRST_YEAR && year <= LAST_YEAR;
}

export function inPlanYears(period: string): boolean {
  return isPlanYear(Number(period.slice(0, 4)));
}

/** A YYYY-MM period within FIRST_YEAR–LAST_YEAR: what a configuration file may name. */
export function isPlanPeriod(text: string): boolean {
  return isPeriod(text) && inPlanYears(text);
}

export function parsePeriod(period: string): { year: number; month: number } {
  const m = PERIOD_RE.exec(period);
  if (!m) throw new Error(`not a period (YYYY-MM): ${period}`);
  return { year: Number(m[1]), month: Number(m[2]) };
}

export function formatPeriod(year: number, month: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

export function addMonths(period: string, months: number): string {
  const { year, month } = parsePeriod(period);
  const index = year * 12 + (month - 1) + months;
  return formatPeriod(Math.floor(index / 12), (index % 12) + 1);
}

/** Periods from `from` to `to`, both included (empty when from > to). */
export function periodRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let p = from; p <= to; p = addMonths(p, 1)) out.push(p);
  return out;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** First and last day of a period. */
export function periodBounds(period: string, config: PeriodConfig = PLAN_128_PERIODS): { from: LocalDate; to: LocalDate } {
  const { year, month } = parsePeriod(period);
  if (config.startDay === 1) {
    return { from: { year, month, day: 1 }, to: { year, month, day: daysInMonth(year, month) } };
  }
  const prev = parsePeriod(addMonths(period, -1));
  return {
    from: { year: prev.year, month: prev.month, day: Math.min(config.startDay, daysInMonth(prev.year, prev.month)) },
    to: { year, month, day: config.startDay - 1 },
  };
}

export function sameDate(a: LocalDate, b: LocalDate): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day;
}

export function formatDate(d: LocalDate): string {
  return `${String(d.day).padStart(2, '0')}/${String(d.month).padStart(2, '0')}/${d.year}`;
}

/** The period a report whose last day is `to` belongs to, or null if `to` is no period end. */
export function periodEndingOn(to: LocalDate, config: PeriodConfig = PLAN_128_PERIODS): string | null {
  const period = formatPeriod(to.year, to.month);
  return sameDate(periodBounds(period, config).to, to) ? period : null;
}

// Building an Intl.DateTimeFormat costs far more than using one: keep one per zone.
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day an instant falls on in the configured zone. */
export function localDateOf(instant: Date, timeZone: string): LocalDate {
  let format = dayFormats.get(timeZone);
  if (!format) dayFormats.set(timeZone, (format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  const parts = format.formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day') };
}

/** The period that contains a given instant. */
export function periodContaining(instant: Date, config: PeriodConfig = PLAN_128_PERIODS): string {
  const d = localDateOf(instant, config.timeZone);
  const current = formatPeriod(d.year, d.month);
  return config.startDay !== 1 && d.day >= config.startDay ? addMonths(current, 1) : current;
}

/** The period whose window most recently closed before `instant` (what the 20th reports on). */
export function lastClosedPeriod(instant: Date, config: PeriodConfig = PLAN_128_PERIODS): string {
  return addMonths(periodContaining(instant, config), -1);
}

/** Offset of the zone from UTC at an instant, in minutes. */
function zoneOffsetMinutes(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** The instant a local calendar day starts in the zone. */
export function startOfLocalDay(d: LocalDate, timeZone: string): Date {
  const guess = new Date(Date.UTC(d.year, d.month - 1, d.day));
  return new Date(guess.getTime() - zoneOffsetMinutes(guess, timeZone) * 60_000);
}

/** Reports received before this instant are on time: 00:00 on the due day, local time
 * (the plan says "trước ngày 20": before the 20th, so the leadership report that morning has complete data). */
export function dueInstant(period: string, config: PeriodConfig = PLAN_128_PERIODS): Date {
  // A calendar-month period (startDay 1) ends with its month: it is due in the next one.
  const { year, month } = parsePeriod(config.startDay === 1 ? addMonths(period, 1) : period);
  return startOfLocalDay({ year, month, day: Math.min(config.dueDay, daysInMonth(year, month)) }, config.timeZone);
}
