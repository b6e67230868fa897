// A DynamoDB item holds at most 400 KB: an upload with thousands of procedures and hundreds
// of errors must still be recorded (the full lists go to the unit's feedback in S3).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoClient } from '../../functions/commons/clients.ts';
import { DynamoReportStore, ensureReportTable } from '../../functions/commons/dynamodb-report-store.ts';
import { startLocalStack, type LocalStack } from '../../infra/local/stack.ts';
import { verdictOf } from '../../shared/ingest/ingest-upload.ts';
import { bigProcedures, SAMPLE_COUNTS, tempHome, uploadRecord } from './helpers.ts';

let stack: LocalStack;
let store: DynamoReportStore;
beforeAll(async () => {
  stack = await startLocalStack({ home: await tempHome() });
  const db = dynamoClient(stack.endpoints.dynamodb);
  await ensureReportTable(db, stack.table);
  store = new DynamoReportStore(db, stack.table);
}, 60_000);
afterAll(() => stack?.stop());

describe('large uploads', () => {
  it('3,000 procedures and 600 errors: recorded, procedures whole, the first 100 issues kept', async () => {
    const errors = Array.from({ length: 600 }, (_, i) => ({
      code: 'invalid_online_level', message: `Thủ tục số ${i}: "Mức độ" phải là "Toàn trình", "Một phần", "Mức độ 4", "Mức độ 3" hoặc để trống (không "DVC trực tuyến toàn trình").`,
      sheet: 'Chi tiết TTHC', row: i + 2, column: 'D',
    }));
    const procedures = bigProcedures(3000, 5);
    expect(Buffer.byteLength(JSON.stringify({ errors, procedures }))).toBeGreaterThan(400 * 1024);
    const rec = uploadRecord({ unit: 'S11', period: '2022-06', uploadId: 'big-1', outcome: 'rejected', counts: null, errors, procedures });
    expect(await store.putUpload(rec)).toBe('created');
    const back = await store.getUpload('2022-06', 'S11', 'big-1');
    expect(back?.procedures).toEqual(procedures);
    expect(back?.errors).toEqual(errors.slice(0, 100));
    expect(await store.moveCurrent({
      unit: 'S11', period: '2022-06', uploadId: 'big-2', orderKey: rec.orderKey, eventTime: rec.eventTime,
      contentHash: 'h', key: rec.key, counts: SAMPLE_COUNTS, procedures,
    })).toBe('moved');
    expect((await store.getCurrent('2022-06', 'S11'))?.procedures).toHaveLength(3000);
  });

  it('what the function returns for such an upload is small: no procedures, the first 100 issues', () => {
    const errors = Array.from({ length: 600 }, (_, i) => ({ code: 'invalid_number', message: `Ô số ${i} ${'x'.repeat(400)}`, sheet: 'Biểu 06a', row: i, column: 'C' }));
    const record = uploadRecord({ unit: 'S11', period: '2022-06', uploadId: 'big-3', outcome: 'rejected', counts: null, errors, procedures: bigProcedures(3000, 6) });
    const verdict = verdictOf({
      key: record.key, uploadId: record.uploadId, unit: 'S11', period: '2022-06', outcome: 'rejected',
      feedback: { json: 'results/S11/big-3.json', text: 'results/S11/big-3.txt' }, firstDelivery: true, record, faults: [new Error('x')], mailRefused: null,
    });
    expect(verdict).not.toHaveProperty('procedures');
    expect(verdict).not.toHaveProperty('faults');
    expect(verdict.errors).toEqual(errors.slice(0, 100));
    expect(Buffer.byteLength(JSON.stringify(verdict))).toBeLessThan(100 * 1024);
  });
});
