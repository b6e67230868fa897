// tthc ingest [--unit CODE] [--at ISO-8601] [--json] FILE...: uploads each file to the
// local bucket under its unit's prefix and waits for the ingest Lambda's verdict.
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { instantArg, parseCommand } from './args.ts';
import { HELP } from './help.ts';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '../functions/commons/clients.ts';
import { startLocalPipeline, type LocalPipeline } from '../infra/local/runner.ts';
import type { Outcome } from '../shared/ingest/upload.ts';
import { describeReading } from '../shared/report-file/describe.ts';
import { readingJson, readInput, writeNotFound } from './output.ts';
import { readSubmission, type SubmissionReading } from '../shared/report-file/read-report.ts';
import { periodContaining } from '../shared/period.ts';
import { planFromEnv } from '../functions/commons/deps.ts';
import { uploadKey } from '../shared/bucket-layout.ts';

const VERDICTS = { accepted: 'đã tiếp nhận', unchanged: 'không thay đổi (giống lần gửi trước)', rejected: undefined } as const;

export async function ingestCommand(args: string[]): Promise<number> {
  const parsed = parseCommand({
    name: 'tthc ingest', help: HELP.ingest, positionals: { name: 'FILE (tệp báo cáo cần gửi)', min: 1, max: Infinity },
    options: { unit: { type: 'string' }, at: { type: 'string' }, json: { type: 'boolean', default: false } },
  }, args);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const at = instantArg(values.at);
  const pipeline = await startLocalPipeline();
  const plan = await planFromEnv();
  const s3 = s3Client();
  let allAccepted = true;
  try {
    for (const file of positionals) {
      const bytes = await readInput(file);
      if (!bytes) {
        allAccepted = false;
        writeNotFound(file, values.json, { upload_id: null });
        continue;
      }
      // Without --unit, upload under the unit the file names (as that unit's clerk would); judged
      // at --at, as the upload will be.
      const reading = values.unit ? null : await readSubmission(bytes, { units: plan, now: at });
      const unit = values.unit?.toUpperCase() ?? reading!.unit;
      if (!unit) {
        // No unit to upload for: the clerk gets the reader's verdict, nothing is stored.
        allAccepted = false;
        write(file, { ...reading!, status: 'rejected', uploadId: null, feedback: null }); // read above: no --unit given
        continue;
      }
      const key = uploadKey(unit, basename(file));
      if (values.at) pipeline.eventTimes.set(key, values.at);
      pipeline.verdicts.delete(key);
      await s3.send(new PutObjectCommand({ Bucket: pipeline.stack.bucket, Key: key, Body: bytes }));
      await pipeline.stack.idle();
      // The ingest handler's own verdict on this upload.
      const verdict = pipeline.verdicts.get(key);
      if (!verdict) throw new Error(`không thấy kết quả xử lý của ${key}`);
      allAccepted &&= verdict.outcome !== 'rejected';
      // The whole record (the procedure list too) by its key: the verdict names it.
      const record = await pipeline.store.getUpload(verdict.period, verdict.unit, verdict.uploadId);
      if (!record) throw new Error(`không thấy bản ghi lần gửi ${verdict.uploadId} của ${key}`);
      write(file, { ...record, status: verdict.outcome, feedback: await downloadFeedback(pipeline, verdict.feedback) });
    }
  } finally {
    await pipeline.stack.stop();
  }
  return allAccepted ? 0 : 1;

  function write(file: string, r: IngestLine) {
    if (values.json) {
      process.stdout.write(`${JSON.stringify(readingJson(file, r, { upload_id: r.uploadId }))}\n`);
      return;
    }
    const reading = { ...r, status: r.status === 'rejected' ? 'rejected' as const : 'accepted' as const };
    const lines = describeReading(basename(file), reading, plan.registryFor(r.period ?? periodContaining(new Date())), VERDICTS[r.status]);
    if (r.feedback) lines.push(`    Phản hồi cho đơn vị: ${r.feedback}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}

/** One `tthc ingest --json` line: `tthc check`'s shape with the outcome and upload id. */
type IngestLine = Pick<SubmissionReading, 'unit' | 'period' | 'layout' | 'counts' | 'procedures' | 'warnings' | 'errors'> & {
  status: Outcome;
  uploadId: string | null;
  feedback: string | null;
};

/** Fetches the unit's feedback from the bucket, as the clerk would, into TTHC_HOME/results/. */
async function downloadFeedback(pipeline: LocalPipeline, keys: { json: string; text: string }): Promise<string> {
  let textFile = '';
  for (const key of [keys.json, keys.text]) {
    const file = join(pipeline.home, key);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, (await pipeline.objects.get(key)).bytes);
    if (key === keys.text) textFile = file;
  }
  return textFile;
}
