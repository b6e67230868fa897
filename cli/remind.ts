// tthc remind [--at ISO-8601] [--json]: the daily reminder job, run as the schedule runs it,
// against the local stack; the mails land in the local SES outbox (TTHC_HOME/outbox).
import { remindFromEvent, reminderDepsFromEnv } from '../functions/remind/handler.ts';
import { startLocalPipeline } from '../infra/local/runner.ts';
import { periodLabel } from '../shared/period.ts';
import { reminderDay, type ReminderDeps } from '../shared/reminders/reminders.ts';
import { instantArg, parseCommand } from './args.ts';

/** Where `tthc portal --port 8080` serves the page; TTHC_PORTAL_URL overrides it. */
export const LOCAL_PORTAL_URL = 'http://127.0.0.1:8080';
export const LOCAL_ADMIN_EMAILS = 'quan-tri-tthc@haiphong.gov.vn';

export const REMIND_HELP = `tthc remind [--at ISO-8601] [--json]

Chạy việc nhắc nộp báo cáo như lịch hằng ngày (08:00) chạy: từ ngày 17 đến hết ngày trước
hạn nộp, gửi thư cho mỗi đơn vị chưa có báo cáo hợp lệ của kỳ đang nhận (địa chỉ contact_email
trong danh mục), mỗi đơn vị tối đa một thư mỗi ngày; ngày sau hạn nộp, một thư cho quản trị
liệt kê đơn vị chưa nộp và nộp muộn. Thư nằm ở TTHC_HOME/outbox.

  --at ISO-8601  Chạy như vào thời điểm này (mặc định: bây giờ)
  --json         Một dòng JSON: {"period","reminded","no_contact","already_today","undeliverable","admin_notice"}
  -h, --help     Hướng dẫn này
`;

export async function remindCommand(args: string[]): Promise<number> {
  const parsed = parseCommand({ name: 'tthc remind', help: REMIND_HELP, options: { at: { type: 'string' }, json: { type: 'boolean', default: false } } }, args);
  if (!parsed) return 0;
  const { values } = parsed;
  const at = instantArg(values.at)?.toISOString();
  const pipeline = await startLocalPipeline();
  process.env.TTHC_PORTAL_URL ??= LOCAL_PORTAL_URL;
  process.env.TTHC_ADMIN_EMAILS ??= LOCAL_ADMIN_EMAILS;
  try {
    // Locally --at is the clock itself (as for `tthc portal`): the run of that day, as it happens then.
    let deps: ReminderDeps | undefined; // the run's own, kept to say why a day had nothing to do
    const r = await remindFromEvent({ mode: 'remind', at }, async () => (deps = await reminderDepsFromEnv()), at ? () => new Date(at) : undefined);
    if ('rejected' in r) {
      process.stderr.write(`Lỗi: không chạy được lượt nhắc: ${r.rejected}\n`);
      return 1;
    }
    if (values.json) {
      process.stdout.write(`${JSON.stringify(r)}\n`);
      return 0;
    }
    const out = [`Nhắc nộp báo cáo kỳ ${periodLabel(r.period)}: đã gửi thư cho ${r.reminded.length} đơn vị`];
    // A day with nothing to do says why, rather than a bare "0 đơn vị".
    if (deps && reminderDay(at ? new Date(at) : new Date(), deps.periods, deps.startDay).kind === 'none') {
      out.push(`  Hôm nay không phải ngày nhắc: thư nhắc gửi từ ngày ${deps.startDay} đến hết ngày trước hạn nộp (ngày ${deps.periods.dueDay}); ngày sau hạn nộp gửi thư cho quản trị.`);
    }
    if (r.already_today.length) out.push(`  ${r.already_today.length} đơn vị đã được nhắc hôm nay (không gửi lại)`);
    if (r.undeliverable.length) out.push(`  ${r.undeliverable.length} đơn vị có địa chỉ thư bị từ chối (không gửi lại hôm nay): ${r.undeliverable.join(', ')}`);
    if (r.no_contact.length) out.push(`  ${r.no_contact.length} đơn vị chưa báo cáo nhưng không có contact_email: ${r.no_contact.join(', ')}`);
    if (r.admin_notice) {
      out.push(`  Thư cho quản trị (${r.admin_notice.recipients.join(', ') || 'không có địa chỉ'}): ${r.admin_notice.sent ? 'đã gửi' : 'không gửi (đã gửi hôm nay hoặc không có địa chỉ)'}; `
        + `${r.admin_notice.missing.length} đơn vị chưa báo cáo, ${r.admin_notice.late.length} nộp muộn`);
    }
    out.push(`Thư nằm ở ${process.env.TTHC_OUTBOX_DIR}`);
    process.stdout.write(`${out.join('\n')}\n`);
    return 0;
  } finally {
    await pipeline.stack.stop();
  }
}
