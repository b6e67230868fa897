// The clerks' portal: what a signed-in clerk (or an administrator) may see and do. The caller
// comes from a verified token (API Gateway's JWT authorizer in AWS), never from the request:
// a clerk only ever reaches its own unit's uploads and folder.
import { uploadKey } from '../bucket-layout.ts';
import type { UploadRecord } from '../ingest/upload.ts';
import { dueInstant, FIRST_YEAR, inPlanYears, isoDay, isPeriod, LAST_YEAR, lastClosedPeriod, periodBounds, periodLabel, type LocalDate, type PeriodConfig } from '../period.ts';
import { MAX_SUBMISSION_BYTES, tooLargeMessage } from '../report-file/read-report.ts';
import { periodStatus, type SubmissionStatus, type UnitStatus } from '../status.ts';
import type { ReportStore } from '../store/report-store.ts';
import type { Unit } from '../units/unit.ts';
import type { UnitsInForce } from '../units/units-in-force.ts';
import { buildTemplate, type TemplateFile, type TemplateFormat } from './template.ts';

/** The Cognito group whose members see every unit's status. */
export const ADMIN_GROUP = 'admin';
/** The ID token claim (user attribute) naming the clerk's unit. */
export const UNIT_ATTRIBUTE = 'custom:unit_code';

/**
 * The mail with the code a clerk who forgot the password asks for ("Quên mật khẩu?"): the
 * deployed pool's verification template (`{####}` is Cognito's place for the code) and the
 * local one's mail, in the same words.
 */
/**
 * Cognito's invitation (AWS), with the portal's address: {username} and {####} (the temporary
 * password, valid 7 days: the pool's tempPasswordValidity) are Cognito's placeholders.
 */
export const INVITATION_MAIL = {
  subject: 'Tài khoản gửi báo cáo hồ sơ TTHC hằng tháng',
  body: (portalUrl: string) => `Đơn vị của anh/chị đã có tài khoản trên cổng gửi báo cáo hồ sơ TTHC của thành phố: ${portalUrl} . `
    + 'Tên đăng nhập: {username}. Mật khẩu tạm thời: {####} (dùng được trong 7 ngày). Lần đăng nhập đầu, cổng sẽ yêu cầu đặt mật khẩu mới.',
};

export const PASSWORD_RESET_MAIL = {
  subject: 'Mã xác minh đặt lại mật khẩu cổng gửi báo cáo hồ sơ TTHC',
  body: (code: string) => `Mã xác minh để đặt lại mật khẩu tài khoản của đơn vị trên cổng gửi báo cáo hồ sơ TTHC: ${code}. `
    + 'Mã có hiệu lực 1 giờ. Nếu anh/chị không yêu cầu đặt lại mật khẩu, hãy bỏ qua thư này.',
};

export interface Caller {
  username: string;
  /** From the token's `custom:unit_code`; null for an administrator without a unit. */
  unit: string | null;
  admin: boolean;
}

/** A presigned POST: the browser sends `fields` and then the file to `url`. */
export interface PresignedPost {
  url: string;
  fields: Record<string, string>;
}

export interface UploadSigner {
  /** A POST policy for exactly this key and a body of 1..maxBytes bytes. */
  presignPost(key: string, maxBytes: number): Promise<PresignedPost>;
}

export interface PortalDeps {
  store: Pick<ReportStore, 'unitHistory' | 'listPeriod' | 'getCurrent'>;
  units: UnitsInForce;
  periods: PeriodConfig;
  signer: UploadSigner;
  now(): Date;
}

/** A refusal the clerk sees: a stable code, a Vietnamese message and the HTTP status. */
export class PortalError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export const forbidden = (message = 'Tài khoản không có quyền này.') => new PortalError(403, 'forbidden', message);
const badRequest = (code: string, message: string) => new PortalError(400, code, message);

function unitOf(caller: Caller): string {
  if (!caller.unit) throw forbidden('Tài khoản này không gắn với đơn vị nào.');
  return caller.unit;
}

function periodParam(value: string | undefined, deps: PortalDeps): string {
  if (value === undefined || value === '') return lastClosedPeriod(deps.now(), deps.periods);
  if (!isPeriod(value)) throw badRequest('invalid_period', `Kỳ báo cáo "${value}" không đúng dạng YYYY-MM (ví dụ 2022-06).`);
  if (!inPlanYears(value)) throw badRequest('invalid_period', `Kỳ báo cáo ${value} nằm ngoài các năm ${FIRST_YEAR}–${LAST_YEAR}.`);
  return value;
}

/** Uploads of a unit for a period, oldest first by event time (as status wants them). */
async function unitUploads(unit: string, period: string, deps: PortalDeps): Promise<UploadRecord[]> {
  // A unit makes a handful of uploads a month: its recent history holds the period's.
  return (await deps.store.unitHistory(unit, 500)).filter((u) => u.period === period);
}

/** The unit's status from its own uploads (newest first), as `periodStatus` decides it for every unit. */
function statusOf(unit: Unit, period: string, uploads: UploadRecord[], deps: PortalDeps): UnitStatus {
  // The newest accepted upload is the unit's report (what the store's current pointer holds).
  const newest = uploads.find((u) => u.outcome === 'accepted' || u.outcome === 'unchanged');
  const current = newest && newest.counts
    ? [{ unit: unit.code, period, uploadId: newest.uploadId, orderKey: newest.orderKey, eventTime: newest.eventTime, contentHash: newest.contentHash, key: newest.key, counts: newest.counts, procedures: [] }]
    : [];
  return periodStatus([unit], period, { current, uploads }, deps.periods)[0];
}


export interface Me {
  unit: string | null;
  name: string | null;
  role: 'admin' | 'unit';
  open_period: string;
  /** The open period's first and last day (YYYY-MM-DD, local): "16/10/2026 – 15/11/2026" on the page. */
  period_from: string;
  period_to: string;
  due_at: string;
  status: SubmissionStatus | null;
  /** The server's clock, so the page counts down from the same instant (and `--at` holds). */
  now: string;
}

export async function me(caller: Caller, deps: PortalDeps): Promise<Me> {
  const period = lastClosedPeriod(deps.now(), deps.periods);
  const unit = caller.unit ? deps.units.registryFor(period).get(caller.unit) : undefined;
  if (caller.unit && !unit) throw forbidden(`Đơn vị ${caller.unit} không còn trong danh mục kỳ này.`);
  const bounds = periodBounds(period, deps.periods);
  return {
    unit: unit?.code ?? null,
    name: unit?.name ?? null,
    role: caller.admin ? 'admin' : 'unit',
    open_period: period,
    period_from: isoDay(bounds.from),
    period_to: isoDay(bounds.to),
    due_at: dueInstant(period, deps.periods).toISOString(),
    status: unit ? statusOf(unit, period, await unitUploads(unit.code, period, deps), deps).status : null,
    now: deps.now().toISOString(),
  };
}

export interface UploadView {
  upload_id: string;
  file_name: string;
  received_at: string;
  status: UploadRecord['outcome'];
  counts: UploadRecord['counts'];
  errors: UploadRecord['errors'];
  warnings: UploadRecord['warnings'];
  /** The period the upload is filed under: the file's own, or (unreadable) the one being collected when it came. */
  period: string;
  /** The period being collected when it came: a file for another period is no report for this one. */
  open_period_at_receipt: string;
  /** Its key in the bucket (incoming/<unit>/<file>), as the presigned POST named it. */
  key: string;
  /**
   * Whether it is the unit's report for its period: the upload the store's current report holds,
   * the newest one taken ("accepted", or "unchanged": the same bytes again); at most one a period.
   */
  current: boolean;
}

const MAX_KEY_LENGTH = 1024;

/**
 * The caller's uploads: of a period (the one being collected by default), or, with `key`, the
 * uploads of that key whatever period they were filed under (what the page waits on after a
 * presigned POST: a file for another period is found too), of `period` only if it is given.
 */
export async function listUploads(caller: Caller, periodText: string | undefined, deps: PortalDeps, keyText?: string): Promise<{ uploads: UploadView[] }> {
  const unit = unitOf(caller);
  let uploads: UploadRecord[];
  if (keyText !== undefined) {
    if (!keyText || keyText.length > MAX_KEY_LENGTH) throw badRequest('invalid_key', `Cần khoá tệp (key) do POST /api/uploads trả về, tối đa ${MAX_KEY_LENGTH} ký tự.`);
    const period = periodText === undefined || periodText === '' ? null : periodParam(periodText, deps);
    // The unit's own history only: another unit's key finds nothing.
    uploads = (await deps.store.unitHistory(unit, 500)).filter((u) => u.key === keyText && (period === null || u.period === period));
  } else {
    uploads = await unitUploads(unit, periodParam(periodText, deps), deps);
  }
  // The unit's report of each period listed (one read a period: one, or a few for a key).
  const periods = [...new Set(uploads.map((u) => u.period))];
  const currents = new Map(await Promise.all(periods.map(async (p) => [p, (await deps.store.getCurrent(p, unit))?.uploadId] as const)));
  return {
    uploads: uploads.map((u) => ({
      upload_id: u.uploadId, file_name: u.fileName, received_at: u.eventTime, status: u.outcome,
      counts: u.counts, errors: u.errors, warnings: u.warnings,
      period: u.period, open_period_at_receipt: lastClosedPeriod(new Date(u.eventTime), deps.periods), key: u.key,
      current: currents.get(u.period) === u.uploadId,
    })),
  };
}

/** Half of a UTF-16 pair without the other: the browser would send U+FFFD, and the key would not match. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Where the clerk's file goes: the server fixes the key under the caller's own folder. */
export async function startUpload(caller: Caller, body: unknown, deps: PortalDeps): Promise<PresignedPost & { key: string }> {
  const unit = unitOf(caller);
  const { file_name: fileName, size } = (body ?? {}) as { file_name?: unknown; size?: unknown };
  if (typeof fileName !== 'string' || !fileName.trim() || fileName.length > 200) {
    throw badRequest('invalid_file_name', 'Cần tên tệp (file_name), tối đa 200 ký tự.');
  }
  // The page checks these before asking; the words are for the clerk whose browser did not.
  if (size === 0) throw badRequest('invalid_size', 'Tệp rỗng (0 byte): chọn tệp báo cáo đã nhập số liệu rồi gửi lại.');
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) {
    throw badRequest('invalid_size', 'Không rõ kích thước tệp: chọn lại tệp báo cáo rồi gửi lại.');
  }
  if (size > MAX_SUBMISSION_BYTES) throw badRequest('file_too_large', tooLargeMessage(size));
  // The name stays recognisable, but these never reach the key: control and format characters
  // (a right-to-left override disguises a name), path separators, and "$" (a key ending in
  // "${filename}" makes S3 take the name the browser sends instead of this one).
  const safeName = fileName.replace(/[\p{Cc}\p{Cf}\u2028\u2029/\\$]+/gu, '_').trim();
  if (LONE_SURROGATE.test(fileName) || /^[._\s]*$/.test(safeName)) {
    throw badRequest('invalid_file_name', `Tên tệp "${safeName}" không dùng được: đặt tên tệp bằng chữ và số (ví dụ bao-cao-2022-06.xlsx).`);
  }
  const key = uploadKey(unit, safeName);
  return { ...(await deps.signer.presignPost(key, MAX_SUBMISSION_BYTES)), key };
}

const TEMPLATE_FORMATS: readonly TemplateFormat[] = ['xlsx', 'csv'];

export async function template(caller: Caller, periodText: string | undefined, formatText: string | undefined, deps: PortalDeps): Promise<TemplateFile> {
  const code = unitOf(caller);
  const period = periodParam(periodText, deps);
  const format = (formatText ?? 'xlsx') as TemplateFormat;
  if (!TEMPLATE_FORMATS.includes(format)) throw badRequest('invalid_format', 'Định dạng mẫu là xlsx hoặc csv.');
  const unit = deps.units.registryFor(period).get(code);
  if (!unit) throw forbidden(`Đơn vị ${code} không có trong danh mục kỳ ${periodLabel(period)}.`);
  return buildTemplate(unit, period, format, deps.periods);
}

/** Every unit's status for the period (the `tthc status --json` lines): administrators only. */
export async function allStatus(caller: Caller, periodText: string | undefined, deps: PortalDeps & { store: Pick<ReportStore, 'listPeriod'> }): Promise<{ period: string; units: UnitStatus[] }> {
  if (!caller.admin) throw forbidden('Chỉ quản trị viên xem được tình hình của mọi đơn vị.');
  const period = periodParam(periodText, deps);
  const units = periodStatus(deps.units.registryFor(period).units, period, await deps.store.listPeriod(period), deps.periods);
  return { period, units };
}
