// npm run demo: the whole pipeline on this machine, as a person trying the product sees it.
// Generates two months of realistic reports for the 252 units of the 2022 plan (Biểu 06a
// variants and CSV; a few late, a few wrong, a few missing), uploads them to the local S3,
// where each upload runs the ingest Lambda's handler, then runs the report Lambda's handler
// for 2022-06: the workbook and the email it sends end up on disk.
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { s3Client } = await import('../functions/commons/clients.ts');
const { handler: reportHandler } = await import('../functions/report/handler.ts');
const { lambdaContext, startLocalPipeline } = await import('../infra/local/runner.ts');
const { uploadKey } = await import('../shared/bucket-layout.ts');
const { int, pct } = await import('../shared/report/format.ts');
const { periodLabel } = await import('../shared/period.ts');
const { loadLeadershipReport } = await import('../shared/report/load-report.ts');
const { reportDepsFromEnv } = await import('../functions/commons/deps.ts');
const { PLAN_128_ONLINE_ONLY, PLAN_128_UNITS } = await import('../shared/units/plan-128-2022.ts');
const { carryingOver, makeRng, pendingOf, realisticMonth, writeReport } = await import('./generate/report-files.ts');
type ReportSpec = import('./generate/report-files.ts').ReportSpec;

const PERIODS = ['2022-05', '2022-06'] as const;
const REPORT_PERIOD = '2022-06';
const started = Date.now();
const home = resolve(process.env.TTHC_HOME ?? '.tthc', 'demo');
const out = join(home, 'out');

interface Upload {
  unit: string;
  fileName: string;
  bytes: Buffer;
  at: string;
  note?: string;
}

/** Local time in Hải Phòng → ISO instant. */
const at = (period: string, day: number, hour: number) => {
  const [y, m] = period.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, day, hour - 7, (day * 7 + hour * 13) % 60)).toISOString();
};

/** A month's reports; the report period's "Từ kỳ trước" is what the month before left pending (as ingest checks). */
function month(period: string): ReportSpec[] {
  const specs = realisticMonth(`demo-${period}`, PLAN_128_UNITS, period);
  if (period === PERIODS[0]) return specs;
  const before = new Map(realisticMonth(`demo-${PERIODS[0]}`, PLAN_128_UNITS, PERIODS[0]).map((s) => [s.unit.code, pendingOf(s)]));
  return specs.map((s) => carryingOver(s, before.get(s.unit.code) ?? 0));
}

async function planUploads(): Promise<Upload[]> {
  const uploads: Upload[] = [];
  let generated = 0;
  for (const period of PERIODS) {
    const rng = makeRng(`demo/${period}`);
    const specs = month(period);
    // A few departments report a procedure from the online-only pilot list with desk dossiers.
    for (const spec of specs.filter((s) => s.procedures && s.unit.code.startsWith('S')).slice(0, 3)) {
      spec.procedures!.push({ code: null, name: PLAN_128_ONLINE_ONLY[rng.int(0, 100)].procedureName, level: 'Toàn trình', online: rng.int(5, 40), direct: rng.int(1, 6), postal: 0 });
    }
    const missing = new Set(rng.shuffle(PLAN_128_UNITS.map((u) => u.code)).slice(0, period === REPORT_PERIOD ? 9 : 5));
    for (const [i, spec] of specs.entries()) {
      if (missing.has(spec.unit.code)) {
        progress(++generated, PERIODS.length * PLAN_128_UNITS.length, 'tạo tệp');
        continue;
      }
      const late = period === REPORT_PERIOD && i % 23 === 5;
      const day = late ? rng.int(21, 26) : rng.int(16, 20);
      uploads.push(await upload(spec, at(period, day, rng.int(7, 17))));
      progress(++generated, PERIODS.length * PLAN_128_UNITS.length, 'tạo tệp');
    }
    if (period === REPORT_PERIOD) uploads.push(...(await mistakes(specs)));
  }
  return uploads;
}

async function upload(spec: ReportSpec, time: string, note?: string): Promise<Upload> {
  const ext = spec.variant?.layout === 'csv' ? 'csv' : 'xlsx';
  return { unit: spec.unit.code, fileName: `bao-cao-${spec.unit.code}-${spec.period}${note ? '-sai' : ''}.${ext}`, bytes: await writeReport(spec), at: time, note };
}

/** The deliberately wrong files of the demo, each as a clerk might really send it. */
async function mistakes(specs: ReportSpec[]): Promise<Upload[]> {
  const byCode = new Map(specs.map((s) => [s.unit.code, s]));
  const xlsx = (code: string): ReportSpec => ({ ...byCode.get(code)!, variant: { ...byCode.get(code)!.variant, layout: '06a', totalRow: 'values' } });
  const day = at(REPORT_PERIOD, 21, 9);
  return [
    // The total row disagrees with the rows (then the unit sends a corrected file).
    await upload({ ...xlsx('S07'), typos: [{ row: 'total', column: 'received_online', value: 999 }] }, at(REPORT_PERIOD, 18, 10), 'dòng tổng cộng sai'),
    // A negative count.
    await upload({ ...xlsx('H05'), typos: [{ row: 0, column: 'pending_overdue', value: -3 }] }, day, 'số âm'),
    // Another unit's report uploaded under this unit's folder.
    { ...(await upload(xlsx('X120'), day, 'tệp của đơn vị khác')), unit: 'X121' },
    // An Excel 97-2003 file.
    { unit: 'X200', fileName: 'bao-cao-X200-2022-06.xls', bytes: Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(4096)]), at: day, note: 'tệp .xls' },
  ];
}

/** A progress bar on a terminal; a line every 10% when the output is a log. */
function progress(done: number, total: number, label: string) {
  const width = 30;
  if (!process.stderr.isTTY) {
    if (done === total || done % Math.ceil(total / 10) === 0) process.stderr.write(`  ${label}: ${done}/${total}\n`);
    return;
  }
  const filled = Math.round((done / total) * width);
  process.stderr.write(`\r  ${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total}`);
  if (done === total) process.stderr.write('\n');
}

await rm(home, { recursive: true, force: true });
await mkdir(out, { recursive: true });
console.log(`Kế hoạch 128/KH-UBND — chạy thử toàn bộ quy trình trên máy này (dữ liệu: ${relative(process.cwd(), home)})\n`);

console.log('1. Tạo báo cáo mẫu cho 252 đơn vị, kỳ 05/2022 và 06/2022');
const uploads = await planUploads();
for (const u of uploads) {
  const dir = join(home, 'uploads', u.unit);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, u.fileName), u.bytes);
}
// The progress counts every unit and period; some units do not report (the missing ones) and a few files are deliberately wrong.
const wrong = uploads.filter((u) => u.note).length;
console.log(`   ${uploads.length} tệp trong ${relative(process.cwd(), join(home, 'uploads'))}/ (${PERIODS.length * PLAN_128_UNITS.length - (uploads.length - wrong)} lượt đơn vị cố ý không báo cáo, ${wrong} tệp cố ý sai)`);

console.log('2. Tải lên S3 cục bộ; mỗi tệp chạy hàm Lambda tiếp nhận');
const pipeline = await startLocalPipeline({ home });
const s3 = s3Client();
const rejected: Array<{ upload: Upload; feedback: string }> = [];
try {
  uploads.sort((a, b) => a.at.localeCompare(b.at));
  let done = 0;
  const queue = [...uploads];
  await Promise.all(Array.from({ length: 6 }, async () => {
    for (let u = queue.shift(); u; u = queue.shift()) {
      const key = uploadKey(u.unit, u.fileName);
      pipeline.eventTimes.set(key, u.at);
      await s3.send(new PutObjectCommand({ Bucket: pipeline.stack.bucket, Key: key, Body: u.bytes }));
      progress(++done, uploads.length, 'tiếp nhận');
    }
  }));
  await pipeline.stack.idle();
  // The unit whose total row was wrong sends a corrected file two days later.
  const corrected = month(REPORT_PERIOD).find((s) => s.unit.code === 'S07')!;
  const fixKey = uploadKey('S07', `bao-cao-S07-${REPORT_PERIOD}-da-sua.xlsx`);
  pipeline.eventTimes.set(fixKey, at(REPORT_PERIOD, 20, 16));
  await s3.send(new PutObjectCommand({ Bucket: pipeline.stack.bucket, Key: fixKey, Body: await writeReport({ ...corrected, variant: { ...corrected.variant, layout: '06a' } }) }));
  await pipeline.stack.idle();

  for (const u of uploads.filter((x) => x.note)) {
    const verdict = pipeline.verdicts.get(uploadKey(u.unit, u.fileName));
    if (!verdict || verdict.outcome !== 'rejected') continue;
    const file = join(out, 'phan-hoi', `${u.unit}-${verdict.uploadId}.txt`);
    await mkdir(join(out, 'phan-hoi'), { recursive: true });
    await writeFile(file, (await pipeline.objects.get(verdict.feedback.text)).bytes);
    rejected.push({ upload: u, feedback: file });
  }

  console.log(`3. Lập báo cáo lãnh đạo kỳ ${periodLabel(REPORT_PERIOD)} và gửi thư (SES cục bộ)`);
  const result = await reportHandler({ period: REPORT_PERIOD, send: true }, lambdaContext('tthc-report')) as import('../functions/report/handler.ts').ReportResult;
  const workbook = join(out, result.workbookKey.split('/').pop()!);
  await writeFile(workbook, (await pipeline.objects.get(result.workbookKey)).bytes);
  const email = join(out, `thu-gui-lanh-dao-${REPORT_PERIOD}.eml`);
  await copyFile(result.emailFile!, email);

  const report = await loadLeadershipReport(await reportDepsFromEnv(), REPORT_PERIOD);
  const city = report.totals.city;
  const names = new Map(PLAN_128_UNITS.map((u) => [u.code, u.name]));
  console.log(`\nKết quả kỳ ${periodLabel(REPORT_PERIOD)} (${report.sourceFiles} báo cáo hợp lệ)`);
  console.log(`  Tỷ lệ hồ sơ trực tuyến toàn thành phố: ${pct(city.periodRates.onlineRate)} trong kỳ, ${pct(city.ytdRates.onlineRate)} lũy kế từ ${periodLabel(report.ytdFrom)} (mức tối thiểu ${Math.round(report.floor * 100)}%)`);
  console.log(`  ${int(city.periodRates.newDossiers)} hồ sơ mới, ${int(city.period?.received_online ?? 0)} trực tuyến\n`);
  // Đạt + chưa đạt + không giao chỉ tiêu = every unit; the units with no report this period are among them ("trong đó").
  const counts = (t: typeof city) => [int(t.unitsMet), int(t.unitsNotMet), int(t.unitsNoTarget), int(t.unitsNotReported)];
  const rows = [['Cấp', 'Tỷ lệ kỳ', 'Lũy kế', 'Đạt', 'Chưa đạt', 'Không giao', 'trong đó chưa báo cáo'],
    ...report.levels.map(({ level, name }) => { const t = report.totals.levels[level]; return [name, pct(t.periodRates.onlineRate), pct(t.ytdRates.onlineRate), ...counts(t)]; }),
    ['Toàn thành phố', pct(city.periodRates.onlineRate), pct(city.ytdRates.onlineRate), ...counts(city)]];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const [i, r] of rows.entries()) {
    console.log(`  ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')}`);
    if (i === 0 || i === rows.length - 2) console.log(`  ${widths.map((w) => '─'.repeat(w)).join('  ')}`);
  }
  console.log(`\n  Chưa báo cáo (${report.missing.length}): ${report.missing.map((c) => `${names.get(c)} (${c})`).join('; ')}`);
  console.log(`  Nộp muộn: ${report.late.length} đơn vị`);

  console.log('\nTệp kết quả:');
  console.log(`  Bảng tính gửi lãnh đạo: ${relative(process.cwd(), workbook)}`);
  console.log(`  Thư điện tử (.eml):     ${relative(process.cwd(), email)}`);
  for (const r of rejected) console.log(`  Phản hồi tệp bị từ chối (${r.upload.note}, ${r.upload.unit}): ${relative(process.cwd(), r.feedback)}`);
  console.log(`\nXem tiếp: TTHC_HOME=${relative(process.cwd(), home)} npx tthc status --period ${REPORT_PERIOD}`);
  // The clerks' portal on the same data, as of a morning before the deadline.
  console.log(`Cổng báo cáo của đơn vị: TTHC_HOME=${relative(process.cwd(), home)} npx tthc portal --at ${REPORT_PERIOD}-18T09:00:00+07:00`);
  console.log(`  tài khoản thử: S01 / ${await (await import('../cli/portal.ts')).portalPassword(home, 'S01')} (mỗi đơn vị một tài khoản; --json liệt kê tất cả)`);
  console.log(`Hoàn tất trong ${((Date.now() - started) / 1000).toFixed(1)} giây.`);
} finally {
  await pipeline.stack.stop();
}
