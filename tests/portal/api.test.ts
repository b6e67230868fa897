// The portal API over HTTP, as the page and AWS's API Gateway see it: real tokens from the local
// Cognito, presigned POSTs into the local bucket (behind the POST-policy check), the real
// ingest handler behind it. `tthc portal --at 2022-06-18T09:00:00+07:00`: period 2022-06 is
// being collected, due before 20/06.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPortal, type RunningPortal } from '../../cli/portal.ts';
import { removeTempHomes, tempHome } from '../ingest/helpers.ts';
import { api, filledTemplate, postForm, presign, sample, tokenOf } from './helpers.ts';

const AT = '2022-06-18T09:00:00+07:00';
let portal: RunningPortal;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  portal = await startPortal({ home: await tempHome('tthc-portal-'), at: AT });
  for (const user of ['S01', 'S02', 'S03', 'S05', 'quan-tri']) tokens[user] = await tokenOf(portal, user);
}, 240_000);
afterAll(async () => {
  await portal?.stop();
  await removeTempHomes();
});

async function uploadsOf(user: string, period = '2022-06') {
  const res = await api(portal, `/api/uploads?period=${period}`, tokens[user]);
  expect(res.status).toBe(200);
  return ((await res.json()) as { uploads: Array<Record<string, any>> }).uploads; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe('portal API', () => {
  it('creates one account per unit in force plus an administrator', () => {
    expect(portal.accounts.filter((a) => a.role === 'unit')).toHaveLength(252);
    expect(portal.accounts.filter((a) => a.role === 'admin').map((a) => a.username)).toEqual(['quan-tri']);
  });

  it('no token, a forged token or an altered one: 401, the handler never runs', async () => {
    expect((await api(portal, '/api/me')).status).toBe(401);
    expect((await api(portal, '/api/me', 'not-a-jwt')).status).toBe(401);
    const [h, p, s] = tokens.S01.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const altered = Buffer.from(JSON.stringify({ ...claims, 'custom:unit_code': 'S02' })).toString('base64url');
    expect((await api(portal, '/api/me', `${h}.${altered}.${s}`)).status).toBe(401);
  });

  it('/api/me: the unit from the token, the period being collected and its deadline', async () => {
    const res = await api(portal, '/api/me?unit=S02', tokens.S01);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      unit: 'S01', name: 'Sở Công Thương', role: 'unit', open_period: '2022-06', period_from: '2022-05-16', period_to: '2022-06-15',
      due_at: '2022-06-19T17:00:00.000Z', status: 'missing', now: '2022-06-18T02:00:00.000Z',
    });
    expect(await (await api(portal, '/api/me', tokens['quan-tri'])).json()).toMatchObject({ unit: null, role: 'admin', open_period: '2022-06' });
  });

  it('a presigned POST of the S01 sample is ingested and shows in S01 history as accepted, stamped --at', async () => {
    const bytes = await sample('06a-S01-2022-06.xlsx');
    const form = await presign(portal, tokens.S01, '06a-S01-2022-06.xlsx', bytes.length);
    expect(form.fields.key).toBe('incoming/S01/06a-S01-2022-06.xlsx');
    expect(form.key).toBe(form.fields.key);
    expect((await postForm(form, bytes, '06a-S01-2022-06.xlsx')).status).toBe(204);
    await portal.pipeline.stack.idle();
    const uploads = await uploadsOf('S01');
    expect(uploads).toHaveLength(1);
    expect(uploads[0]).toMatchObject({
      file_name: '06a-S01-2022-06.xlsx', status: 'accepted', received_at: '2022-06-18T02:00:00.000Z', errors: [],
      period: '2022-06', open_period_at_receipt: '2022-06', key: 'incoming/S01/06a-S01-2022-06.xlsx', current: true,
    });
    expect(uploads[0].counts.received_online).toBe(6064);
    expect(await (await api(portal, '/api/me', tokens.S01)).json()).toMatchObject({ status: 'on_time' });
  });

  it('`current` marks the unit\'s report for the period, one upload a period: the newest taken, "unchanged" too (the same figures)', async () => {
    const bytes = await sample('06a-S01-2022-06.xlsx');
    expect((await postForm(await presign(portal, tokens.S01, 'lan-2.xlsx', bytes.length), bytes, 'lan-2.xlsx')).status).toBe(204);
    await portal.pipeline.stack.idle();
    const uploads = await uploadsOf('S01');
    expect(uploads.map((u) => [u.file_name, u.status, u.current])).toEqual([['lan-2.xlsx', 'unchanged', true], ['06a-S01-2022-06.xlsx', 'accepted', false]]);
    // By key too (what the page shows as the result of a send).
    const res = await api(portal, `/api/uploads?key=${encodeURIComponent('incoming/S01/06a-S01-2022-06.xlsx')}`, tokens.S01);
    expect(((await res.json()) as { uploads: Array<{ current: boolean }> }).uploads.map((u) => u.current)).toEqual([false]);
  });

  it('the same form with its key moved to incoming/S02/ is refused; S02 sees no upload', async () => {
    const bytes = await sample('06a-S01-2022-06.xlsx');
    const form = await presign(portal, tokens.S01, 'x.xlsx', bytes.length);
    const moved = { ...form, fields: { ...form.fields, key: 'incoming/S02/x.xlsx' } };
    const res = await postForm(moved, bytes, 'x.xlsx');
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Policy Condition failed');
    await portal.pipeline.stack.idle();
    expect(await uploadsOf('S02')).toEqual([]);
    expect((await uploadsOf('S01')).every((u) => u.file_name !== 'x.xlsx')).toBe(true);
  });

  it('s3rver alone would take the moved form: the check is the front, not the emulator', async () => {
    const bytes = Buffer.from('not a report');
    const form = await presign(portal, tokens.S01, 'y.txt', bytes.length);
    const direct = { url: `${portal.pipeline.stack.endpoints.s3}/${portal.pipeline.stack.bucket}`, fields: { ...form.fields, key: 'elsewhere/S02/y.txt' } };
    expect((await postForm(direct, bytes, 'y.txt')).status).toBe(204);
    expect((await postForm({ ...direct, url: form.url }, bytes, 'y.txt')).status).toBe(403);
  });

  it('a body over the size range is refused by the bucket; a size over 5 MB is refused by the API', async () => {
    const form = await presign(portal, tokens.S01, 'big.xlsx', 100);
    const res = await postForm(form, Buffer.alloc(5 * 1024 * 1024 + 1, 1), 'big.xlsx');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('EntityTooLarge');
    const tooBig = await api(portal, '/api/uploads', tokens.S01, { method: 'POST', body: JSON.stringify({ file_name: 'big.xlsx', size: 5 * 1024 * 1024 + 1 }) });
    expect(tooBig.status).toBe(400);
    expect(await tooBig.json()).toMatchObject({ error: { code: 'file_too_large' } });
    const noName = await api(portal, '/api/uploads', tokens.S01, { method: 'POST', body: JSON.stringify({ size: 10 }) });
    expect(noName.status).toBe(400);
    expect(((await noName.json()) as { error: { message: string } }).error.message).toMatch(/tên tệp/);
  });

  it('sizes are refused in the clerk\'s words: an empty file, no size, one byte over 5 MB (vi-VN numbers)', async () => {
    const refusal = async (size: unknown) => {
      const res = await api(portal, '/api/uploads', tokens.S01, { method: 'POST', body: JSON.stringify({ file_name: 'bao-cao.xlsx', size }) });
      expect(res.status).toBe(400);
      return ((await res.json()) as { error: { code: string; message: string } }).error;
    };
    expect(await refusal(0)).toEqual({ code: 'invalid_size', message: 'Tệp rỗng (0 byte): chọn tệp báo cáo đã nhập số liệu rồi gửi lại.' });
    expect(await refusal(undefined)).toEqual({ code: 'invalid_size', message: 'Không rõ kích thước tệp: chọn lại tệp báo cáo rồi gửi lại.' });
    expect(await refusal('10')).toMatchObject({ code: 'invalid_size' });
    // 5,242,881 bytes is "5.0 MB" to one decimal: said in bytes, not as 5 MB over a 5 MB limit.
    expect(await refusal(5 * 1024 * 1024 + 1)).toEqual({ code: 'file_too_large', message: 'Tệp 5.242.881 byte, lớn hơn giới hạn 5 MB (5.242.880 byte).' });
    expect(await refusal(6.5 * 1024 * 1024)).toEqual({ code: 'file_too_large', message: 'Tệp 6,5 MB, lớn hơn giới hạn 5 MB.' });
  });

  it('the bad S05 sample comes back rejected with the cell-precise error', async () => {
    const bytes = await sample('bad-S05-2022-06-total-mismatch.xlsx');
    await postForm(await presign(portal, tokens.S05, 'bad.xlsx', bytes.length), bytes, 'bad.xlsx');
    await portal.pipeline.stack.idle();
    const [upload] = await uploadsOf('S05');
    expect(upload.status).toBe('rejected');
    expect(upload.current).toBe(false);
    expect(upload.errors).toContainEqual(expect.objectContaining({ code: 'total_row_mismatch', sheet: 'Biểu 06a', row: 13, column: 'D' }));
  });

  it('a file for another period is found by its key (GET /api/uploads?key=), filed under its own period', async () => {
    // S02 fills in the March template in June: the ingest files it under 2022-03.
    const bytes = await filledTemplate(portal, tokens.S02, '2022-03');
    const form = await presign(portal, tokens.S02, 'thang-3.xlsx', bytes.length);
    const key = form.key!;
    const byKey = async (user: string, query = '') => {
      const res = await api(portal, `/api/uploads?key=${encodeURIComponent(key)}${query}`, tokens[user]);
      expect(res.status).toBe(200);
      return ((await res.json()) as { uploads: Array<Record<string, unknown>> }).uploads;
    };
    expect(await byKey('S02')).toEqual([]);
    expect((await postForm(form, bytes, 'thang-3.xlsx')).status).toBe(204);
    await portal.pipeline.stack.idle();
    expect(await uploadsOf('S02')).toEqual([]); // not June's
    const [upload] = await byKey('S02');
    expect(upload).toMatchObject({ file_name: 'thang-3.xlsx', status: 'accepted', period: '2022-03', open_period_at_receipt: '2022-06', key: 'incoming/S02/thang-3.xlsx' });
    expect(await uploadsOf('S02', '2022-03')).toEqual([upload]);
    expect(await byKey('S02', '&period=2022-06')).toEqual([]);
    // Another unit's key finds nothing: a clerk sees its own unit's uploads only.
    expect(await byKey('S01')).toEqual([]);
    expect((await api(portal, `/api/uploads?key=${'x'.repeat(1025)}`, tokens.S02)).status).toBe(400);
  });

  it('/api/status is for the admin group only', async () => {
    const unit = await api(portal, '/api/status?period=2022-06', tokens.S01);
    expect(unit.status).toBe(403);
    expect(await unit.json()).toMatchObject({ error: { code: 'forbidden' } });
    const res = await api(portal, '/api/status?period=2022-06', tokens['quan-tri']);
    expect(res.status).toBe(200);
    const { units } = (await res.json()) as { units: Array<{ unit: string; status: string }> };
    expect(units).toHaveLength(252);
    expect(units.find((u) => u.unit === 'S01')?.status).toBe('on_time');
    expect(units.find((u) => u.unit === 'S05')?.status).toBe('rejected_only');
    expect(units.find((u) => u.unit === 'S02')?.status).toBe('missing');
    expect((await api(portal, '/api/uploads?period=2022-06', tokens['quan-tri'])).status).toBe(403);
    expect((await api(portal, '/api/uploads?period=06-2022', tokens.S01)).status).toBe(400);
  });

  it('template round trip: the 2022-07 template names the unit and period; a filled 2022-06 one is accepted', async () => {
    const july = await api(portal, '/api/template?period=2022-07&format=xlsx', tokens.S01);
    expect(july.status).toBe(200);
    expect(july.headers.get('content-disposition')).toContain('bieu-06a-S01-2022-07.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await july.arrayBuffer()) as ArrayBuffer);
    const titles: string[] = [];
    book.worksheets[0].eachRow((row) => titles.push(String(row.getCell(1).value ?? '')));
    expect(titles.join('\n')).toContain('Sở Công Thương');
    expect(titles.join('\n')).toContain('07/2022');

    const bytes = await filledTemplate(portal, tokens.S03, '2022-06');
    expect((await postForm(await presign(portal, tokens.S03, 'mau-da-dien.xlsx', bytes.length), bytes, 'mau-da-dien.xlsx')).status).toBe(204);
    await portal.pipeline.stack.idle();
    const [upload] = await uploadsOf('S03');
    expect(upload.errors).toEqual([]);
    expect(upload).toMatchObject({ status: 'accepted', file_name: 'mau-da-dien.xlsx' });
    expect(upload.counts.received_online).toBe(70);

    const csv = await api(portal, '/api/template?period=2022-06&format=csv', tokens.S03);
    expect((await csv.text()).split(/\r\n/)[1]).toMatch(/^S03,2022-06,/);
    expect((await api(portal, '/api/template?period=2022-06&format=ods', tokens.S03)).status).toBe(400);
  });

  it('a request body over 1 MB: 413 in the error shape, and the server goes on', async () => {
    const res = await api(portal, '/api/uploads', tokens.S01, { method: 'POST', body: JSON.stringify({ file_name: 'x'.repeat(1_500_000), size: 10 }) });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: { code: 'payload_too_large', message: 'Nội dung yêu cầu quá lớn (tối đa 1 MB).' } });
    expect((await api(portal, '/api/me', tokens.S01)).status).toBe(200);
  });

  it('unknown routes: 404 in the error shape', async () => {
    const res = await api(portal, '/api/nothing', tokens.S01);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
