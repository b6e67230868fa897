// Arguments of every tthc command, parsed one way: `--help`/`-h` prints the command's help,
// and a mistake is said in Vietnamese, naming the argument, with exit status 2.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { FIRST_YEAR, isPeriod, isPlanYear, isZonedInstant, LAST_YEAR } from '../shared/period.ts';

/** A mistake in the command line (not in a file): exit status 2. */
export class ArgError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

export interface CommandSpec<O extends Options> {
  /** "tthc check", as the messages name it. */
  name: string;
  /** The command's Vietnamese help (cli/help.ts). */
  help: string;
  options: O;
  /** What the positional arguments are ("FILE"), and how many: none unless given. */
  positionals?: { name: string; min: number; max: number };
}

/**
 * The command's options and positionals, or null when it was asked for its help (printed
 * here). Throws ArgError for an unknown option, a missing value or a wrong count of files.
 */
export function parseCommand<const O extends Options>(spec: CommandSpec<O>, args: readonly string[]) {
  const end = args.indexOf('--');
  const own = end < 0 ? args : args.slice(0, end);
  if (own.includes('--help') || own.includes('-h')) {
    process.stdout.write(spec.help.endsWith('\n') ? spec.help : `${spec.help}\n`);
    return null;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: spec.options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new ArgError(explain(spec, e as Error & { code?: string }));
  }
  const p = spec.positionals ?? { name: '', min: 0, max: 0 };
  const n = parsed.positionals.length;
  if (n < p.min) throw new ArgError(`thiếu ${p.name}${p.min > 1 ? ` (cần ít nhất ${p.min})` : ''}`);
  if (n > p.max) {
    const extra = parsed.positionals[p.max];
    throw new ArgError(p.max === 0 ? `đối số thừa "${extra}": lệnh ${spec.name} không nhận đối số nào ngoài các tùy chọn`
      : `đối số thừa "${extra}": chỉ nhận ${p.max === 1 ? `một ${p.name}` : `tối đa ${p.max} ${p.name}`}`);
  }
  return parsed;
}

function explain(spec: CommandSpec<Options>, e: Error & { code?: string }): string {
  const option = /'(-[^' ]+)/.exec(e.message)?.[1] ?? '';
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `${option}: lệnh ${spec.name} không có tùy chọn này`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /argument missing/.test(e.message) ? `${option}: thiếu giá trị` : `${option}: không nhận giá trị`;
    default:
      return e.message;
  }
}

/** A YYYY-MM period argument; the message says what is wrong with it. */
export function periodArg(value: string | undefined, option = '--period'): string {
  if (value === undefined || value === '') throw new ArgError(`${option}: bắt buộc, dạng YYYY-MM (ví dụ 2022-06)`);
  const m = /^(\d{4})-(\d{2})$/.exec(value.trim());
  if (!m) throw new ArgError(`${option}: "${value}" không phải một kỳ dạng YYYY-MM (ví dụ 2022-06)`);
  const [, year, month] = m;
  if (Number(month) < 1 || Number(month) > 12) throw new ArgError(`${option}: tháng ${month} không hợp lệ (YYYY-MM, tháng 01–12)`);
  if (!isPlanYear(Number(year))) throw new ArgError(`${option}: năm ${year} nằm ngoài ${FIRST_YEAR}–${LAST_YEAR}`);
  const period = `${year}-${month}`;
  if (!isPeriod(period)) throw new ArgError(`${option}: "${value}" không phải một kỳ dạng YYYY-MM`);
  return period;
}

/** A YYYY-Qn quarter argument (quarterly report). */
export function quarterArg(value: string, option = '--quarter'): string {
  const m = /^(\d{4})-[Qq]([1-4])$/.exec(value.trim());
  if (!m) throw new ArgError(`${option}: "${value}" không phải một quý dạng YYYY-Qn (ví dụ 2022-Q3)`);
  if (!isPlanYear(Number(m[1]))) throw new ArgError(`${option}: năm ${m[1]} nằm ngoài ${FIRST_YEAR}–${LAST_YEAR}`);
  return `${m[1]}-Q${m[2]}`;
}

/** A YYYY year argument (annual report). */
export function yearArg(value: string, option = '--year'): string {
  if (!/^\d{4}$/.test(value.trim())) throw new ArgError(`${option}: "${value}" không phải một năm dạng YYYY (ví dụ 2022)`);
  const year = value.trim();
  if (!isPlanYear(Number(year))) throw new ArgError(`${option}: năm ${year} nằm ngoài ${FIRST_YEAR}–${LAST_YEAR}`);
  return year;
}

/** An option without which the command cannot run. */
export function required(value: string | undefined, option: string, what: string): string {
  if (value === undefined || value === '') throw new ArgError(`${option}: bắt buộc (${what})`);
  return value;
}

/** An ISO-8601 instant (--at), or undefined when not given. */
export function instantArg(value: string | undefined, option = '--at'): Date | undefined {
  if (value === undefined) return undefined;
  if (!isZonedInstant(value)) throw new ArgError(`${option}: "${value}" không phải một thời điểm ISO-8601 có múi giờ (ví dụ 2022-06-18T08:00:00+07:00)`);
  return new Date(value);
}

/** "2026-01..2026-04" (or "2026-01:2026-04", as --window has always been written). */
export function spanArg(value: string | undefined, option: string): { from: string; to: string } {
  const text = required(value, option, 'dạng YYYY-MM..YYYY-MM');
  const parts = text.split(/\.\.|:/);
  if (parts.length !== 2) throw new ArgError(`${option}: "${text}" phải có dạng YYYY-MM..YYYY-MM (ví dụ 2026-01..2026-04)`);
  const [from, to] = parts.map((p) => periodArg(p, option));
  if (from > to) throw new ArgError(`${option}: kỳ đầu ${from} sau kỳ cuối ${to}`);
  return { from, to };
}
