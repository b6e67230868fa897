// tthc upload-url --unit CODE [--file NAME] [--expires SECONDS]: a presigned PUT URL that lets
// a unit without AWS credentials upload one report under its own prefix (incoming/<unit>/).
import { ArgError, parseCommand, required } from './args.ts';
import { HELP } from './help.ts';
import { presignUpload, unitForUpload } from './presign.ts';
import { startLocalPipeline } from '../infra/local/runner.ts';
import { uploadKey } from '../shared/bucket-layout.ts';

export async function uploadUrlCommand(args: string[]): Promise<number> {
  const parsed = parseCommand({
    name: 'tthc upload-url', help: HELP['upload-url'],
    options: { unit: { type: 'string' }, file: { type: 'string' }, expires: { type: 'string', default: '86400' }, json: { type: 'boolean', default: false } },
  }, args);
  if (!parsed) return 0;
  const { values } = parsed;
  const code = required(values.unit, '--unit', 'mã đơn vị, ví dụ S01');
  // S3 signs a URL for at most 7 days.
  if (!/^\d+$/.test(values.expires!) || Number(values.expires) < 1 || Number(values.expires) > 604_800) {
    throw new ArgError(`--expires: "${values.expires}" phải là số giây từ 1 đến 604800 (7 ngày)`);
  }
  const expiresIn = Number(values.expires);
  // Against AWS when TTHC_BUCKET names a real bucket (the registry is then read from the
  // table TTHC_TABLE); otherwise the local stack and the registry loaded under TTHC_HOME.
  const local = !process.env.TTHC_BUCKET;
  if (!local && !process.env.TTHC_TABLE) {
    throw new ArgError('TTHC_TABLE: cần tên bảng DynamoDB của hệ thống (output TableName) để kiểm tra mã đơn vị trong danh mục đã nạp');
  }
  const pipeline = local ? await startLocalPipeline() : null;
  try {
    const unit = await unitForUpload(code);
    if (!unit) throw new ArgError(`--unit: "${code}" không phải mã đơn vị trong danh mục`);
    const name = (values.file ?? `bao-cao-${unit.code}.xlsx`).replace(/[/\\]/g, '_');
    const key = uploadKey(unit.code, name);
    const url = await presignUpload(process.env.TTHC_BUCKET!, key, expiresIn);
    if (values.json) process.stdout.write(`${JSON.stringify({ unit: unit.code, key, url, expires_in: expiresIn })}\n`);
    else {
      process.stdout.write(`URL tải lên cho ${unit.name} (${unit.code}), hiệu lực ${Math.round(expiresIn / 3600)} giờ:\n${url}\n`);
      process.stdout.write(`Ví dụ: curl -X PUT --upload-file bao-cao.xlsx '${url}'\n`);
      // The local S3 stops with this command (and takes another port next time): the URL shows
      // what a unit would get, nothing can be uploaded with it.
      if (local) process.stdout.write('(URL của S3 cục bộ, đã dừng khi lệnh kết thúc: chỉ để xem mẫu URL. Thử tải lên cục bộ: tthc ingest hoặc tthc portal. URL dùng được: đặt TTHC_BUCKET, TTHC_TABLE và thông tin đăng nhập AWS.)\n');
    }
    return 0;
  } finally {
    await pipeline?.stack.stop();
  }
}
