// The leadership email: leadershipEmail → buildMime (the bytes SES gets) → parsed back.
import ExcelJS from 'exceljs';
import { simpleParser, type Attachment, type ParsedMail } from 'mailparser';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildMime } from '../../functions/commons/mailer.ts';
import type { MailMessage } from '../../shared/ports.ts';
import { trendChartInput, trendChartPng } from '../../shared/report/chart.ts';
import { emailSubject, leadershipEmail, TREND_CID } from '../../shared/report/email.ts';
import { pct } from '../../shared/report/format.ts';
import { buildLeadershipReport, type LeadershipReport } from '../../shared/report/period-report.ts';
import { buildWorkbook } from '../../shared/report/workbook.ts';
import { PLAN_128_UNITS } from '../../shared/units/plan-128-2022.ts';
import type { Unit } from '../../shared/units/unit.ts';
import { counts, History, input, planHistory } from './helpers.ts';

const FROM = 'Văn phòng UBND thành phố <bao-cao-dvc@haiphong.gov.vn>';
const TO = ['lanh-dao-ubnd@haiphong.gov.vn', 'van-phong-ubnd@haiphong.gov.vn'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const HOSTILE_NAME = `Phường <Cát> & "Bi" 'A'`;
const units: Unit[] = PLAN_128_UNITS.map((u) => (u.code === 'X010' ? { ...u, name: HOSTILE_NAME } : u));

interface Parsed {
  raw: string;
  mail: ParsedMail;
  subject: string;
  html: string;
  text: string;
  attachments: Attachment[];
}

/** The message's own header block (unfolded), as the bytes SES gets carry it. */
function rawHeader(raw: string, name: string): string | undefined {
  const head = raw.slice(0, raw.search(/\r?\n\r?\n/)).replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

async function roundTrip(r: LeadershipReport, chart: Buffer | null = null): Promise<{ message: MailMessage; workbook: Buffer; parsed: Parsed }> {
  const workbook = await buildWorkbook(r);
  const message = leadershipEmail(r, TO, workbook, { chart });
  const raw = await buildMime(FROM, message);
  const mail = await simpleParser(raw, { keepCidLinks: true });
  return {
    message, workbook,
    parsed: {
      raw: raw.toString('latin1'), mail, subject: mail.subject ?? '', html: typeof mail.html === 'string' ? mail.html : '', text: mail.text ?? '',
      attachments: mail.attachments,
    },
  };
}

/** 0.4731 → "47,3%", computed here without Intl. */
const vi = (rate: number) => `${(Math.round(rate * 1000) / 10).toFixed(1).replace('.', ',')}%`;

describe('a crafted period: city rate exactly 47,3%', () => {
  let r: LeadershipReport;
  let out: Awaited<ReturnType<typeof roundTrip>>;

  beforeAll(async () => {
    const h = new History()
      .report('S01', '2022-06', counts({ online: 300, direct: 200 })) // 60%, target 99.7: chưa đạt
      .report('H05', '2022-06', counts({ online: 73, direct: 300, postal: 27 })) // 18.25%, target 58: chưa đạt
      .report('X002', '2022-06', counts({ online: 100, direct: 0 })); // 100%: đạt
    r = buildLeadershipReport(input({ period: '2022-06', data: h.data, units }));
    out = await roundTrip(r);
  });

  it('the report says what the email should', () => {
    expect(r.totals.city.periodRates.onlineRate).toBe(0.473);
    expect(r.totals.city.unitsMet).toBe(1);
    expect(r.totals.city.unitsNotMet).toBe(248); // S01, H05 and every unit with a target and no figures
    expect(r.totals.city.unitsNoTarget).toBe(3);
    expect(r.missing).toHaveLength(249);
  });

  it('Subject decodes to the Vietnamese subject with a comma decimal', () => {
    expect(out.parsed.subject).toBe('[DVC] Báo cáo tháng 06/2022 — tỷ lệ trực tuyến 47,3%');
    expect(emailSubject(r)).toBe(out.parsed.subject);
    // The header itself is 7-bit (encoded words).
    expect(rawHeader(out.parsed.raw, 'subject')).toMatch(/^[\x20-\x7e]+$/);
  });

  it('From and To carry the sender and the leadership list; multipart/mixed with text, html and one attachment', () => {
    expect(rawHeader(out.parsed.raw, 'content-type')).toMatch(/^multipart\/mixed;/);
    expect(out.parsed.mail.from?.value.map((a) => a.address)).toEqual(['bao-cao-dvc@haiphong.gov.vn']);
    const to = out.parsed.mail.to;
    expect((Array.isArray(to) ? to : [to]).flatMap((a) => a?.value.map((x) => x.address))).toEqual(TO);
    expect(out.parsed.html).toContain('<html');
    expect(out.parsed.text).toContain('47,3%');
    expect(out.parsed.attachments).toHaveLength(1); // no chart asked for: no inline part
  });

  it('HTML body: city rate, đạt / chưa đạt counts, missing units (escaped)', () => {
    const { html } = out.parsed;
    expect(html).toContain('<b>47,3%</b>');
    expect(html).toContain('252 đơn vị: đạt chỉ tiêu được giao <b>1</b>; chưa đạt <b>248</b>; không giao chỉ tiêu <b>3</b>. Trong đó chưa báo cáo kỳ này: <b>249</b>.');
    expect(html).toContain('1.000 hồ sơ mới, trong đó 473 hồ sơ trực tuyến'); // Vietnamese grouping
    expect(html).not.toContain('Lưu ý:'); // no correction, nothing to check
    expect(html).toContain('Phường &lt;Cát&gt; &amp; &quot;Bi&quot; &#39;A&#39;');
    expect(html).not.toContain('<Cát>');
    expect(html).toContain('(249)');
    for (const code of r.missing) {
      const name = units.find((u) => u.code === code)!.name;
      const escaped = name.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
      expect(html, code).toContain(escaped);
    }
    // The three reporting units are not listed as missing (names from the plan).
    const missingLine = html.slice(html.indexOf('Đơn vị chưa báo cáo'));
    for (const code of ['S01', 'H05', 'X002']) expect(missingLine).not.toContain(units.find((u) => u.code === code)!.name + ';');
  });

  it('the attachment is bao-cao-dvc-2022-06.xlsx, byte for byte the workbook, and opens with exceljs', async () => {
    const [att] = out.parsed.attachments;
    expect(att.filename).toBe('bao-cao-dvc-2022-06.xlsx');
    expect(att.contentType).toBe(XLSX);
    expect(att.contentDisposition).toBe('attachment');
    expect(String(att.headers.get('content-transfer-encoding')).toLowerCase()).toBe('base64');
    expect(att.content.equals(out.workbook)).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(att.content as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Tổng hợp', 'Sở ban ngành', 'Quận huyện', 'Xã phường', 'Chưa báo cáo', 'Quá hạn', 'Thí điểm trực tuyến', 'Dịch vụ trực tuyến', 'Điều chỉnh số liệu', 'Kiểm tra số liệu', 'Ghi chú']);
  });
});

describe.each([5, 6, 7])('a realistic period (seed %i)', (seed) => {
  let r: LeadershipReport;
  let out: Awaited<ReturnType<typeof roundTrip>>;
  let expectedRate: number;

  beforeAll(async () => {
    const { history } = planHistory(seed, '2022-06');
    const june = history.data.get('2022-06')!;
    june.current = june.current.filter((c) => c.unit !== 'X010'); // the hostile name is missing
    let online = 0;
    let fresh = 0;
    for (const c of june.current) {
      online += c.counts.received_online;
      fresh += c.counts.received_online + c.counts.received_direct + (c.counts.received_postal ?? 0);
    }
    expectedRate = online / fresh;
    r = buildLeadershipReport(input({ period: '2022-06', data: history.data, units }));
    out = await roundTrip(r);
  });

  it('subject and body carry the city rate of the period with one decimal and a comma', () => {
    expect(r.totals.city.periodRates.onlineRate).toBeCloseTo(expectedRate, 12);
    const shown = vi(expectedRate);
    expect(pct(expectedRate)).toBe(shown);
    expect(out.parsed.subject).toBe(`[DVC] Báo cáo tháng 06/2022 — tỷ lệ trực tuyến ${shown}`);
    expect(out.parsed.html).toContain(`<b>${shown}</b>`);
  });

  it('đạt / chưa đạt / missing counts and every missing unit name', () => {
    const ranked = r.ranking.city;
    const met = ranked.filter((e) => e.gap_pp >= 0).length;
    // Every unit in one of three groups: 249 with a target (đạt or not), 3 without.
    expect(out.parsed.html).toContain(`252 đơn vị: đạt chỉ tiêu được giao <b>${met}</b>; chưa đạt <b>${249 - met}</b>; không giao chỉ tiêu <b>3</b>.`);
    expect(out.parsed.html).toContain(`(${r.missing.length})`);
    expect(r.missing).toContain('X010');
    expect(out.parsed.html).toContain('Phường &lt;Cát&gt; &amp; &quot;Bi&quot; &#39;A&#39;');
    for (const code of r.missing) {
      const name = units.find((u) => u.code === code)!.name;
      if (code !== 'X010') expect(out.parsed.html, code).toContain(name.replace(/&/g, '&amp;'));
    }
  });

  it('the attachment round-trips byte for byte', () => {
    expect(out.parsed.attachments).toHaveLength(1);
    expect(out.parsed.attachments[0].filename).toBe('bao-cao-dvc-2022-06.xlsx');
    expect(out.parsed.attachments[0].content.equals(out.workbook)).toBe(true);
  });
});

describe('what a leader acts on: the chart inline, late and fallen units, the city row, the same facts in text', () => {
  let r: LeadershipReport;
  let out: Awaited<ReturnType<typeof roundTrip>>;
  let chart: Buffer;

  beforeAll(async () => {
    const { history } = planHistory(5, '2022-06');
    r = buildLeadershipReport(input({ period: '2022-06', data: history.data, units }));
    chart = trendChartPng(trendChartInput(r), 1);
    out = await roundTrip(r, chart);
  });

  it('the trend chart is an inline image/png part the HTML shows by its Content-ID', () => {
    expect(out.parsed.html).toContain(`src="cid:${TREND_CID}"`);
    const inline = out.parsed.attachments.filter((a) => a.contentType === 'image/png');
    expect(inline).toHaveLength(1);
    expect(inline[0].cid).toBe(TREND_CID);
    expect(inline[0].contentDisposition).toBe('inline');
    expect(inline[0].related).toBe(true);
    expect(inline[0].content.equals(chart)).toBe(true);
    // The workbook is still the one attachment a reader saves.
    expect(out.parsed.attachments.filter((a) => a.contentType === XLSX)).toHaveLength(1);
  });

  it('lists the late units and the units whose rank in their level (their sheet of the workbook) fell most', () => {
    expect(r.late.length).toBeGreaterThan(0);
    const names = new Map(units.map((u) => [u.code, u.name]));
    const lateLine = out.parsed.text.split('\n').find((l) => l.startsWith('Đơn vị nộp báo cáo muộn'))!;
    expect(lateLine).toContain(`(${r.late.length})`);
    for (const code of r.late) expect(lateLine, code).toContain(names.get(code)!);
    const falls = r.levels.flatMap((l) => r.ranking.levels[l.level].map((e) => ({ ...e, levelName: l.name })))
      .filter((e) => e.rank_change !== null && e.rank_change < 0).sort((a, b) => a.rank_change! - b.rank_change! || a.rank - b.rank);
    expect(falls.length).toBeGreaterThan(0);
    const worst = falls[0];
    const line = `${worst.name} (${worst.levelName}): hạng ${worst.rank + worst.rank_change!} → ${worst.rank} (giảm ${-worst.rank_change!} bậc)`;
    expect(out.parsed.text).toContain(line);
    expect(out.parsed.html).toContain('Tụt hạng nhiều nhất');
  });

  it('the level table ends with the city total row', () => {
    const table = out.parsed.html.slice(out.parsed.html.indexOf('<table'), out.parsed.html.indexOf('</table>'));
    const rows = table.split('<tr').slice(2);
    expect(rows).toHaveLength(r.levels.length + 1);
    expect(rows[rows.length - 1]).toContain('Toàn thành phố');
    expect(rows[rows.length - 1]).toContain(pct(r.totals.city.ytdRates.onlineRate));
  });

  it('the plain-text part carries the same facts as the HTML: the floor comparison, top and bottom five, each level', () => {
    const { text, html } = out.parsed;
    const ytd = r.totals.city.ytdRates.onlineRate!;
    const verdict = `${ytd >= r.floor ? 'đạt' : 'chưa đạt'} mức tối thiểu 60% của Kế hoạch`;
    expect(text).toContain(verdict);
    expect(html).toContain(verdict);
    const bottom = r.ranking.city.slice(-5);
    const top = r.ranking.city.slice(0, 5);
    for (const e of [...top, ...bottom]) {
      const escaped = e.name.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
      expect(text, e.unit).toContain(`${e.name}: lũy kế ${pct(e.ytd_online_rate)}`);
      expect(html, e.unit).toContain(`${escaped}: lũy kế ${pct(e.ytd_online_rate)}`);
    }
    expect(text).toContain('Thấp nhất:');
    for (const l of r.levels) expect(text).toContain(`  - ${l.name}: trong kỳ ${pct(r.totals.levels[l.level].periodRates.onlineRate)}`);
    expect(text).toContain(`  - Toàn thành phố: trong kỳ ${pct(r.totals.city.periodRates.onlineRate)}`);
    for (const code of r.missing) expect(text, code).toContain(units.find((u) => u.code === code)!.name);
  });
});
