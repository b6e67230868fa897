// tthc: the clerk's and administrator's tool, and how tests and benchmarks drive the local stack.
import { checkCommand } from './check.ts';
import { ingestCommand } from './ingest.ts';
import { rankingCommand, reportCommand } from './report.ts';
import { statusCommand } from './status.ts';
import { targetsCommand } from './targets.ts';
import { uploadUrlCommand } from './upload-url.ts';

const USAGE = `tthc — báo cáo hồ sơ TTHC hằng tháng (Kế hoạch 128/KH-UBND)

Lệnh:
  tthc check [--unit CODE] [--json] FILE...               Đọc và kiểm tra tệp báo cáo, không lưu
  tthc ingest [--unit CODE] [--at ISO] [--json] FILE...   Gửi tệp vào hệ thống (chạy cục bộ) và chờ kết quả
  tthc status --period YYYY-MM [--json]                   Tình hình nộp báo cáo của mọi đơn vị
  tthc ranking --period YYYY-MM [--json]                  Xếp hạng đơn vị theo chỉ tiêu
  tthc report --period YYYY-MM [--out FILE] [--send]      Lập bảng tính báo cáo lãnh đạo (và gửi thư)
  tthc upload-url --unit CODE [--file NAME] [--json]      URL tải lên có chữ ký cho một đơn vị
  tthc targets allocate --baseline FILE --pool department=N,district=N,commune=N [--goal-rate R]
                        [--window FROM:TO] --out FILE     Giao chỉ tiêu theo phương pháp Phụ lục 2

Dữ liệu cục bộ nằm ở TTHC_HOME (mặc định .tthc/).
`;

export type Command = (args: string[]) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  check: checkCommand,
  ingest: ingestCommand,
  status: statusCommand,
  ranking: rankingCommand,
  report: reportCommand,
  'upload-url': uploadUrlCommand,
  targets: targetsCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    process.stdout.write(USAGE);
    return name && name !== 'help' && name !== '--help' ? 2 : 0;
  }
  try {
    return await command(rest);
  } catch (e) {
    process.stderr.write(`tthc ${name}: ${(e as Error).message}\n`);
    return 2;
  }
}
