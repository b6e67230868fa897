// tthc ranking --period YYYY-MM [--json] and tthc report --period YYYY-MM [--out FILE] [--send]:
// the leadership report on the local stack, through the report Lambda's own handler.
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ArgError, parseCommand, periodArg, quarterArg, yearArg } from './args.ts';
import { HELP } from './help.ts';
import { reportDepsFromEnv } from '../functions/commons/deps.ts';
import type { ReportEvent, ReportResult } from '../functions/report/handler.ts';
import { lambdaContext, startLocalPipeline } from '../infra/local/runner.ts';
import { int, judgedTexts, pct } from '../shared/report/format.ts';
import { periodLabel } from '../shared/period.ts';
import { loadLeadershipReport, NoReportDataError, requireReportData } from '../shared/report/load-report.ts';
import { rankingJson } from '../shared/report/period-report.ts';
import { quarterRange } from '../shared/report/range-report.ts';

/** A period without any report: say so, exit 1 (other errors go up to main). */
function noData(e: unknown): number {
  if (!(e instanceof NoReportDataError)) throw e;
  process.stderr.write(`${e.message}\n`);
  return 1;
}

export async function rankingCommand(args: string[]): Promise<number> {
  const parsed = parseCommand({ name: 'tthc ranking', help: HELP.ranking, options: { period: { type: 'string' }, json: { type: 'boolean', default: false } } }, args);
  if (!parsed) return 0;
  const { values } = parsed;
  const period = periodArg(values.period);
  const pipeline = await startLocalPipeline();
  try {
    const report = requireReportData(await loadLeadershipReport(await reportDepsFromEnv(), period));
    if (values.json) {
      process.stdout.write(`${JSON.stringify(rankingJson(report))}\n`);
      return 0;
    }
    const out = [`Xếp hạng theo chỉ tiêu hồ sơ trực tuyến, kỳ ${periodLabel(period)} (lũy kế từ ${periodLabel(report.ytdFrom)})`];
    for (const { level, name } of report.levels) {
      out.push('', `${name}:`);
      for (const e of report.ranking.levels[level]) {
        const shown = judgedTexts(e.ytd_online_rate, e.target_pct / 100, e.gap_pp);
        out.push(`  ${String(e.rank).padStart(3)}. ${e.name} (${e.unit}): ${shown.rate} / chỉ tiêu ${shown.reference} (${shown.gap}), ${int(e.new_dossiers)} hồ sơ`);
      }
    }
    const city = report.totals.city;
    out.push('', `Toàn thành phố, lũy kế: ${int(city.ytdRates.newDossiers)} hồ sơ mới, ${int(city.ytd?.received_online ?? 0)} trực tuyến (${pct(city.ytdRates.onlineRate)})`);
    out.push(`Không xếp hạng: ${int(report.excluded.length)}; chưa báo cáo kỳ này: ${int(report.missing.length)}; nộp muộn: ${int(report.late.length)}`);
    process.stdout.write(`${out.join('\n')}\n`);
    return 0;
  } catch (e) {
    return noData(e);
  } finally {
    await pipeline.stack.stop();
  }
}

export async function reportCommand(args: string[]): Promise<number> {
  const parsed = parseCommand({
    name: 'tthc report', help: HELP.report,
    options: { period: { type: 'string' }, quarter: { type: 'string' }, year: { type: 'string' }, out: { type: 'string' }, send: { type: 'boolean', default: false } },
  }, args);
  if (!parsed) return 0;
  const { values } = parsed;
  const given = (['period', 'quarter', 'year'] as const).filter((k) => values[k] !== undefined);
  if (given.length > 1) throw new ArgError(`--${given[0]}, --${given[1]}: chỉ chọn một trong --period, --quarter, --year`);
  // The event the report Lambda's schedules send; `period` names the file either way.
  const event: ReportEvent = values.quarter !== undefined ? { mode: 'quarter', quarter: quarterArg(values.quarter) }
    : values.year !== undefined ? { mode: 'year', year: yearArg(values.year) }
    : { period: periodArg(values.period) };
  const period = event.quarter ?? event.year ?? event.period!;
  const pipeline = await startLocalPipeline();
  try {
    // The report function and the workbook writer (exceljs): `tthc ranking` needs neither.
    const [{ handler: reportHandler }, { workbookFileName }] = await Promise.all([
      import('../functions/report/handler.ts'), import('../shared/report/workbook.ts'),
    ]);
    const result = await reportHandler({ ...event, send: values.send }, lambdaContext('tthc-report')) as ReportResult;
    const out = resolve(values.out ?? join(pipeline.home, 'reports', workbookFileName(period)));
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, (await pipeline.objects.get(result.workbookKey)).bytes);
    process.stdout.write(`Bảng tính: ${out}\n`);
    if (result.messageId) {
      if (result.emailFile) {
        const copy = join(dirname(out), `${workbookFileName(period).replace(/\.xlsx$/, '')}.eml`);
        await copyFile(result.emailFile, copy);
        process.stdout.write(`Thư điện tử: ${copy}\n`);
      }
      process.stdout.write(`Đã gửi tới: ${process.env.TTHC_REPORT_RECIPIENTS} (SES cục bộ, mã ${result.messageId})\n`);
    }
    const label = event.quarter ? quarterRange(period).label : event.year ? `năm ${period}` : `kỳ ${periodLabel(period)}`;
    if (result.notDueUntil) process.stdout.write(`Báo cáo ${label} chưa đến hạn (${result.notDueUntil}): chưa gửi lãnh đạo, các đơn vị còn đang nộp.\n`);
    if (result.alreadySent) process.stdout.write(`Báo cáo ${label} đã được gửi lãnh đạo trước đó: không gửi lại (bảng tính đã được cập nhật).\n`);
    return 0;
  } catch (e) {
    return noData(e);
  } finally {
    await pipeline.stack.stop();
  }
}
