// npm run render: the leadership workbooks as a leader prints them. Builds the monthly
// (2022-06), quarterly (2022-Q3) and annual (2022) workbooks from a generated year of the
// 2022 plan's reports (or takes the .xlsx files given), then has LibreOffice print each to
// PDF (soffice --headless --convert-to pdf) and poppler cut the PDF into PNG pages
// (pdftoppm), under .tthc/render/. Each page's print header can then be checked against its
// table by eye. Without soffice (Debian: apt-get install libreoffice-calc poppler-utils)
// it says so and writes the workbooks only.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { UnitFigures, UploadSummary } from '../shared/ingest/upload.ts';
import { PLAN_128_PERIODS, periodRange } from '../shared/period.ts';
import { buildLeadershipReport } from '../shared/report/period-report.ts';
import { buildRangeReport, lastPeriodOf, quarterRange, yearRange, type ReportRange } from '../shared/report/range-report.ts';
import { buildWorkbook, workbookFileName } from '../shared/report/workbook.ts';
import type { PeriodReports } from '../shared/store/report-store.ts';
import { PLAN_128_FLOOR, PLAN_128_ONLINE_ONLY, PLAN_128_TARGETS, PLAN_128_UNITS } from '../shared/units/plan-128-2022.ts';
import { makeRng, randomCounts } from './generate/report-files.ts';

const out = resolve(process.env.TTHC_HOME ?? '.tthc', 'render');

/** May to December 2022 for the 252 units: most on time, some late, some missing; some pilot breaches. */
function demoYear(): Map<string, PeriodReports> {
  const rng = makeRng('render/2022');
  const targets = new Map(PLAN_128_TARGETS.map((t) => [t.unit, t.targetPct ?? 50]));
  const data = new Map<string, PeriodReports>();
  periodRange('2022-05', '2022-12').forEach((p, month) => {
    const current: UnitFigures[] = [];
    const uploads: UploadSummary[] = [];
    for (const u of PLAN_128_UNITS) {
      if (rng.chance(0.06)) continue;
      const scale = u.level === 'department' ? 2000 : u.level === 'district' ? 800 : 150;
      // Units move towards their target through the year.
      const share = Math.max(0, Math.min(1, (targets.get(u.code)! / 100) * (0.7 + month * 0.05) + (rng.next() - 0.5) * 0.3));
      const eventTime = rng.chance(0.08) ? `${p}-21T03:00:00.000Z` : `${p}-18T03:00:00.000Z`;
      const procedures = u.level === 'department' && rng.chance(0.3)
        ? [{ code: null, name: PLAN_128_ONLINE_ONLY[rng.int(0, 100)].procedureName, online_level: 'full' as const, received_online: rng.int(0, 9), received_direct: rng.int(1, 4), received_postal: rng.int(0, 1) },
          { code: null, name: 'Thủ tục cấp giấy phép (một phần)', online_level: 'partial' as const, received_online: rng.int(0, 3), received_direct: rng.int(0, 4), received_postal: 0 }]
        : [];
      const uploadId = `${u.code}-${p}`;
      current.push({ unit: u.code, period: p, uploadId, orderKey: eventTime, eventTime, contentHash: uploadId, key: `incoming/${u.code}/${p}.xlsx`, counts: randomCounts(rng, scale, { onlineShare: share }), procedures });
      uploads.push({ uploadId, unit: u.code, period: p, eventTime, processedAt: eventTime, outcome: 'accepted' });
    }
    data.set(p, { current, uploads });
  });
  return data;
}

async function demoWorkbooks(): Promise<string[]> {
  const data = demoYear();
  const month = (period: string, asOf: string) => buildLeadershipReport({
    period, periods: PLAN_128_PERIODS, units: PLAN_128_UNITS, targets: PLAN_128_TARGETS, pilot: PLAN_128_ONLINE_ONLY,
    data, floor: PLAN_128_FLOOR, asOf: new Date(asOf),
  });
  const files: string[] = [];
  const monthly = join(out, workbookFileName('2022-06'));
  await writeFile(monthly, await buildWorkbook(month('2022-06', '2022-06-20T01:00:00Z')));
  files.push(monthly);
  for (const range of [quarterRange('2022-Q3'), yearRange('2022')] as ReportRange[]) {
    const asOf = `${lastPeriodOf(range)}-21T01:00:00Z`;
    const rr = buildRangeReport(range, range.periods.filter((p) => data.has(p)).map((p) => month(p, asOf)));
    const file = join(out, workbookFileName(range.id));
    await writeFile(file, await buildWorkbook(rr.last, { range: rr }));
    files.push(file);
  }
  return files;
}

function has(command: string, flag = '--version'): boolean {
  return spawnSync(command, [flag], { stdio: 'ignore' }).status === 0;
}

await mkdir(out, { recursive: true });
const given = process.argv.slice(2).map((f) => resolve(f));
const files = given.length ? given : await demoWorkbooks();
if (!has('soffice')) {
  process.stdout.write(`Đã ghi ${files.length} bảng tính vào ${out}; không có LibreOffice (soffice) để in ra PDF: apt-get install -y libreoffice-calc poppler-utils\n`);
  process.exit(0);
}
for (const file of files) {
  const name = basename(file, '.xlsx');
  const pdf = join(out, `${name}.pdf`);
  // A profile of its own: a LibreOffice the user has open does not take the job.
  execFileSync('soffice', [`-env:UserInstallation=file://${join(out, '.lo-profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', out, file], { stdio: 'ignore' });
  const pages = join(out, name);
  await rm(pages, { recursive: true, force: true });
  await mkdir(pages, { recursive: true });
  const poppler = has('pdftoppm', '-v');
  if (poppler) execFileSync('pdftoppm', ['-png', '-r', '70', pdf, join(pages, 'trang')]);
  const count = poppler ? (await readdir(pages)).length : 0;
  process.stdout.write(`${basename(file)} → ${pdf}${count ? `, ${count} trang PNG trong ${pages}/` : ''}\n`);
}
