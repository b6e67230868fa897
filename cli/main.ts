// tthc: the clerk's and administrator's tool, and how tests and benchmarks drive the local stack.
const USAGE = `tthc — báo cáo hồ sơ TTHC hằng tháng (Kế hoạch 128/KH-UBND)

Lệnh:
  tthc check [--unit CODE] [--at ISO] [--registry FILE] [--json] FILE...
                                                          Đọc và kiểm tra tệp báo cáo, không lưu
  tthc ingest [--unit CODE] [--at ISO] [--json] FILE...   Gửi tệp vào hệ thống (chạy cục bộ) và chờ kết quả
  tthc status --period YYYY-MM [--json]                   Tình hình nộp báo cáo của mọi đơn vị
  tthc ranking --period YYYY-MM [--json]                  Xếp hạng đơn vị theo chỉ tiêu
  tthc report (--period YYYY-MM | --quarter YYYY-Qn | --year YYYY) [--out FILE] [--send]
                                                          Lập bảng tính báo cáo lãnh đạo tháng, quý, năm (và gửi thư)
  tthc upload-url --unit CODE [--file NAME] [--json]      URL tải lên có chữ ký cho một đơn vị
  tthc portal [--port N] [--at ISO] [--json]              Chạy cổng gửi báo cáo của đơn vị trên máy này
  tthc accounts create --unit CODE --email ADDR [--admin] [--json]
  tthc accounts sync [--json]                             Tài khoản cổng gửi báo cáo của đơn vị
  tthc remind [--at ISO] [--json]                         Nhắc các đơn vị chưa nộp báo cáo của kỳ
  tthc registry load FILE [--dry-run] [--json]            Nạp danh mục đơn vị (có kỳ hiệu lực)
  tthc registry show --period YYYY-MM [--json]            Các đơn vị đang áp dụng trong một kỳ
  tthc targets load FILE [--dry-run] [--json]             Nạp chỉ tiêu (theo kỳ chỉ tiêu)
  tthc targets show --period YYYY-MM [--json]             Chỉ tiêu đang áp dụng trong một kỳ
  tthc plan load FILE [--dry-run] [--json]                Nạp kế hoạch (trích dẫn, mức tối thiểu, thí điểm)
  tthc plan show --period YYYY-MM [--json]                Kế hoạch áp dụng trong một kỳ
  tthc targets allocate --baseline FILE (--pool department=N,… | --goal-rate R) [--window FROM..TO] --out FILE
  tthc targets allocate --from-periods A..B --window C..D (--pool … | --goal-rate R) --out FILE
                                                          Giao chỉ tiêu theo phương pháp Phụ lục 2

Hướng dẫn của từng lệnh: tthc <lệnh> --help
Dữ liệu cục bộ nằm ở TTHC_HOME (mặc định .tthc/).
`;

import { ArgError } from './args.ts';
import { HELP } from './help.ts';

export type Command = (args: string[]) => Promise<number>;

// Loaded on demand: `tthc check` should not pay for the AWS SDK and the local stack.
export const COMMANDS: Record<string, () => Promise<Command>> = {
  check: async () => (await import('./check.ts')).checkCommand,
  ingest: async () => (await import('./ingest.ts')).ingestCommand,
  status: async () => (await import('./status.ts')).statusCommand,
  ranking: async () => (await import('./report.ts')).rankingCommand,
  report: async () => (await import('./report.ts')).reportCommand,
  'upload-url': async () => (await import('./upload-url.ts')).uploadUrlCommand,
  portal: async () => (await import('./portal.ts')).portalCommand,
  accounts: async () => (await import('./accounts.ts')).accountsCommand,
  remind: async () => (await import('./remind.ts')).remindCommand,
  registry: async () => (await import('./config.ts')).configCommand('registry'),
  plan: async () => (await import('./config.ts')).configCommand('plan'),
  // load and show are the configuration's; allocate (and its workbook writer) is targets.ts's.
  targets: async () => async (args: string[]) => (args[0] === 'load' || args[0] === 'show'
    ? (await import('./config.ts')).configCommand('targets')(args)
    : (await import('./targets.ts')).targetsCommand(args)),
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  // `tthc help check` is `tthc check --help`.
  if (name === 'help' && rest[0] && COMMANDS[rest[0]]) return main([rest[0], '--help']);
  const load = name ? COMMANDS[name] : undefined;
  // Help needs none of the command's modules (the AWS SDK, the local stack): answered here.
  const own = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (load && HELP[name] && (own.includes('--help') || own.includes('-h'))) {
    process.stdout.write(HELP[name]);
    return 0;
  }
  if (!load) {
    const asked = !name || name === 'help' || name === '--help' || name === '-h';
    if (!asked) process.stderr.write(`tthc: không có lệnh "${name}"\n\n`);
    (asked ? process.stdout : process.stderr).write(USAGE);
    return asked ? 0 : 2;
  }
  try {
    return await (await load())(rest);
  } catch (e) {
    process.stderr.write(`tthc ${name}: ${(e as Error).message}\n`);
    // A mistake in the command line: say where the help is.
    if (e instanceof ArgError) process.stderr.write(`Xem: tthc ${name} --help\n`);
    return 2;
  }
}
