// No upload can fail its item write (DynamoDB: 400 KB an item), whatever its file held: every
// text is capped, issue lists and the gzipped procedure list are bounded in bytes. On both
// emulators (which enforce the item limit) and the memory store, which must read back the same.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoBackend } from '../../infra/local/stack.ts';
import type { UnitFigures } from '../../shared/ingest/upload.ts';
import type { Procedure } from '../../shared/report-file/detail.ts';
import type { FileIssue } from '../../shared/report-file/file-issue.ts';
import {
  capText, ISSUES_BYTES, MAX_ISSUES, MAX_MESSAGE, MAX_NAME, MAX_PROCEDURE_NAME, PROCEDURES_BYTES, storedUpload,
} from '../../shared/store/item-limits.ts';
import type { ReportStore } from '../../shared/store/report-store.ts';
import { SAMPLE_COUNTS, uploadRecord } from '../ingest/helpers.ts';
import { DYNAMO_BACKENDS, reportStoreFor, type TestReportStore } from '../fixtures/dynamo-backends.ts';

const HUGE = 500_000;
const huge = (word: string) => word.repeat(Math.ceil(HUGE / word.length)).slice(0, HUGE);

/** Names that do not compress: hex digests (the store gzips procedure lists). */
const incompressible = (seed: string, length: number) => {
  let out = '';
  for (let i = 0; out.length < length; i++) out += createHash('sha256').update(`${seed}/${i}`).digest('base64');
  return out.slice(0, length);
};

describe('capText', () => {
  it('keeps short text, cuts long text to the limit with "…", never half a surrogate pair', () => {
    expect(capText('Biểu 06a', 200)).toBe('Biểu 06a');
    expect(capText('a'.repeat(200), 200)).toBe('a'.repeat(200));
    expect(capText('a'.repeat(201), 200)).toBe(`${'a'.repeat(199)}…`);
    const emoji = capText(`${'a'.repeat(198)}😀😀`, 200); // the pair would straddle the cut
    expect(emoji).toBe(`${'a'.repeat(198)}…`);
    expect(emoji.length).toBeLessThanOrEqual(200);
  });
});

/** Built once, the same for every backend: several hundred MB of strings take seconds to make and to measure. */
const once = <T>(make: () => T): (() => T) => {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
};

const hugeTexts = once(() => {
  const errors: FileIssue[] = Array.from({ length: 150 }, (_, i) => ({
    code: i % 2 ? huge('invalid_number_') : 'invalid_number',
    message: huge(`Ô E${i + 2}: "mười hai" không phải là số. `), sheet: i % 3 ? 'Biểu 06a' : huge('Biểu '), row: i + 2, column: i % 5 ? 'E' : huge('E'),
  }));
  const warnings: FileIssue[] = [{ code: 'unit_name_mismatch', message: huge('Tên đơn vị không khớp. '), sheet: null, row: null, column: null }];
  const procedures: Procedure[] = Array.from({ length: 20 }, (_, i) => ({
    code: i % 2 ? huge('1.00') : `1.00${i}`, name: huge(`Thủ tục ${i} `), online_level: 'full', received_online: i, received_direct: 1, received_postal: null,
  }));
  const fileName = `${huge('Báo cáo tháng 6 ')}.xlsx`;
  const rec = uploadRecord({
    unit: 'S07', period: '2022-06', uploadId: 'huge-texts', outcome: 'rejected', counts: null, layout: null,
    fileName, errors, warnings, procedures,
  });
  return { rec, errors, procedures, fileName };
});

const dense = once(() => {
  // Control characters take 6 bytes each in JSON: 100 such messages would be ~300 KB.
  const errors: FileIssue[] = Array.from({ length: 100 }, (_, i) => ({
    code: 'csv_encoding', message: `${i}:${'\u0001'.repeat(MAX_MESSAGE)}`, sheet: null, row: i + 1, column: null,
  }));
  const procedures: Procedure[] = Array.from({ length: 3000 }, (_, i) => ({
    code: `2.${i}`, name: incompressible(`p${i}`, MAX_PROCEDURE_NAME), online_level: null, received_online: i, received_direct: 0, received_postal: 0,
  }));
  return { rec: uploadRecord({ unit: 'S08', period: '2022-06', uploadId: 'dense', errors, warnings: errors, procedures }), procedures };
});

describe('the records the stores are given', () => {
  it('the huge one holds several MB of text', () => {
    expect(Buffer.byteLength(JSON.stringify(hugeTexts().rec))).toBeGreaterThan(5 * 1024 * 1024);
  });
});

describe.each<DynamoBackend | 'memory'>([...DYNAMO_BACKENDS, 'memory'])('item limits: %s', (kind) => {
  let under: TestReportStore | undefined;
  let store: ReportStore;

  beforeAll(async () => {
    under = await reportStoreFor(kind, 'item-limits');
    store = under.store;
  }, 120_000);
  afterAll(() => under?.stop(), 60_000);

  it('an upload whose texts total several MB is stored, and reads back capped', async () => {
    const { rec, errors, procedures, fileName } = hugeTexts();
    expect(await store.putUpload(rec)).toBe('created');
    const back = (await store.getUpload('2022-06', 'S07', 'huge-texts'))!;
    expect(back).toEqual(storedUpload(rec).stored);
    expect(back.fileName).toHaveLength(MAX_NAME);
    expect(back.fileName).toBe(`${fileName.slice(0, MAX_NAME - 1)}…`);
    expect(back.errors.length).toBeGreaterThan(0);
    expect(back.errors.length).toBeLessThanOrEqual(MAX_ISSUES);
    expect(back.errors).toEqual(errors.slice(0, back.errors.length).map((e) => ({
      ...e, code: capText(e.code, MAX_NAME), message: capText(e.message, MAX_MESSAGE), sheet: capText(e.sheet!, MAX_NAME), column: capText(e.column!, MAX_NAME),
    })));
    expect(back.errors.every((e) => e.message.length === MAX_MESSAGE && e.message.endsWith('…'))).toBe(true);
    expect(back.warnings[0].message).toHaveLength(MAX_MESSAGE);
    expect(back.procedures).toHaveLength(20);
    expect(back.procedures.every((p) => p.name.length === MAX_PROCEDURE_NAME && (p.code?.length ?? 0) <= MAX_NAME)).toBe(true);
    // The history and the period's listing read it too.
    expect(await store.unitHistory('S07')).toEqual([back]);
    expect((await store.listPeriod('2022-06')).uploads.map((u) => u.uploadId)).toContain('huge-texts');

    // The same procedures as the unit's report.
    const report: UnitFigures = {
      unit: 'S07', period: '2022-06', uploadId: 'huge-texts', orderKey: rec.orderKey, eventTime: rec.eventTime,
      contentHash: rec.contentHash, key: rec.key, counts: SAMPLE_COUNTS, procedures,
    };
    expect(await store.moveCurrent(report)).toBe('moved');
    expect((await store.getCurrent('2022-06', 'S07'))!.procedures).toEqual(back.procedures);
  });

  it('issues whose JSON is inflated by escapes, and procedures that do not compress: the first ones that fit', async () => {
    const { rec, procedures } = dense();
    expect(await store.putUpload(rec)).toBe('created');
    const back = (await store.getUpload('2022-06', 'S08', 'dense'))!;
    expect(back).toEqual(storedUpload(rec).stored);
    // Fewer issues than the count cap, as many as fit the byte budget, in file order.
    expect(back.errors.length).toBeGreaterThan(10);
    expect(back.errors.length).toBeLessThan(100);
    expect(Buffer.byteLength(JSON.stringify(back.errors))).toBeLessThanOrEqual(ISSUES_BYTES);
    expect(back.errors.map((e) => e.row)).toEqual(back.errors.map((_, i) => i + 1));
    expect(back.warnings).toEqual(back.errors);
    // The longest prefix of the procedure list whose gzip fits.
    expect(back.procedures.length).toBeGreaterThan(100);
    expect(back.procedures.length).toBeLessThan(3000);
    expect(back.procedures).toEqual(procedures.slice(0, back.procedures.length));

    const report: UnitFigures = {
      unit: 'S08', period: '2022-06', uploadId: 'dense', orderKey: rec.orderKey, eventTime: rec.eventTime,
      contentHash: rec.contentHash, key: rec.key, counts: SAMPLE_COUNTS, procedures,
    };
    expect(await store.moveCurrent(report)).toBe('moved');
    expect((await store.getCurrent('2022-06', 'S08'))!.procedures).toEqual(back.procedures);
    expect(PROCEDURES_BYTES + 2 * ISSUES_BYTES).toBeLessThan(350 * 1024); // room left for the rest of the item
  });
});
