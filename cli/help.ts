// What `tthc` and each of its commands print for --help (and -h): Vietnamese, for the
// administrator and the clerk; the options and what each does.

const JSON_LINE = '  --json         Mỗi tệp một dòng JSON (cho công cụ khác đọc), thay cho dòng chữ';

export const HELP: Record<string, string> = {
  check: `tthc check [--unit CODE] [--at ISO-8601] [--registry FILE] [--json] FILE...

Đọc và kiểm tra các tệp báo cáo (Biểu 06a .xlsx hoặc mẫu CSV) theo danh mục đơn vị có sẵn
của Kế hoạch 128 (năm 2022), hoặc theo tệp danh mục được chỉ ra. Không lưu gì.

  --unit CODE      Đơn vị gửi tệp (thư mục tải lên); tệp ghi đơn vị khác sẽ bị từ chối
  --at ISO-8601    Coi như tệp được gửi lúc này (mặc định: bây giờ), để xét kỳ báo cáo
  --registry FILE  Tệp danh mục đơn vị (như tthc registry load), ví dụ
                   shared/data/haiphong-2025/registry-2025-07.csv cho thành phố từ 1/7/2025
${JSON_LINE}
  -h, --help     Hướng dẫn này

Mã thoát: 0 khi mọi tệp được chấp nhận, 1 khi có tệp bị từ chối hoặc không tìm thấy,
2 khi câu lệnh sai.
`,
  ingest: `tthc ingest [--unit CODE] [--at ISO-8601] [--json] FILE...

Gửi từng tệp vào thùng lưu trữ cục bộ, dưới thư mục của đơn vị, và chờ kết quả xử lý của
hàm ingest. Phản hồi cho đơn vị được tải về TTHC_HOME/results/.

  --unit CODE    Gửi dưới thư mục của đơn vị này (mặc định: đơn vị tệp ghi)
  --at ISO-8601  Thời điểm nhận tệp (ví dụ 2022-06-18T08:00:00+07:00), để thử nộp muộn
${JSON_LINE}
  -h, --help     Hướng dẫn này

Mã thoát: 0 khi mọi tệp được tiếp nhận, 1 khi có tệp bị từ chối hoặc không tìm thấy,
2 khi câu lệnh sai.
`,
  status: `tthc status --period YYYY-MM [--json]

Tình hình nộp báo cáo của mọi đơn vị đang áp dụng trong kỳ: đúng hạn, muộn, chưa báo cáo,
chỉ có tệp bị từ chối.

  --period YYYY-MM  Kỳ báo cáo (ví dụ 2022-06: từ 16/05 đến 15/06/2022)
  --json            Mỗi đơn vị một dòng JSON
  -h, --help        Hướng dẫn này
`,
  ranking: `tthc ranking --period YYYY-MM [--json]

Xếp hạng đơn vị theo khoảng cách giữa tỷ lệ hồ sơ trực tuyến lũy kế và chỉ tiêu, theo
từng cấp và toàn thành phố.

  --period YYYY-MM  Kỳ báo cáo (ví dụ 2022-06)
  --json            Kết quả dạng JSON
  -h, --help        Hướng dẫn này
`,
  report: `tthc report (--period YYYY-MM | --quarter YYYY-Qn | --year YYYY) [--out FILE] [--send]

Lập bảng tính Excel báo cáo lãnh đạo của kỳ, quý hoặc năm bằng chính hàm report chạy trên AWS.

  --period YYYY-MM  Kỳ báo cáo tháng (ví dụ 2022-06)
  --quarter YYYY-Qn Báo cáo quý (ví dụ 2022-Q3): tỷ lệ từng kỳ, tình hình nộp báo cáo
  --year YYYY       Báo cáo năm (ví dụ 2022): thêm đánh giá đạt / không đạt chỉ tiêu
  --out FILE        Nơi ghi bảng tính (mặc định TTHC_HOME/reports/)
  --send            Gửi thư qua SES cục bộ và giữ bản .eml
  -h, --help        Hướng dẫn này
`,
  'upload-url': `tthc upload-url --unit CODE [--file NAME] [--expires SECONDS] [--json]

URL tải lên có chữ ký (PUT) cho một đơn vị không có tài khoản AWS, chỉ vào thư mục
incoming/<CODE>/. Đặt TTHC_BUCKET, TTHC_TABLE và thông tin đăng nhập AWS để cấp URL cho thùng thật
(mã đơn vị lấy từ danh mục đã nạp); không có thì dùng hệ thống cục bộ.

  --unit CODE        Mã đơn vị (bắt buộc)
  --file NAME        Tên tệp sẽ tải lên (mặc định bao-cao-<CODE>.xlsx)
  --expires SECONDS  Thời hạn của URL, tính bằng giây (mặc định 86400 = 24 giờ)
  --json             Kết quả dạng JSON
  -h, --help         Hướng dẫn này
`,
  registry: `tthc registry load FILE [--dry-run] [--json]
tthc registry show --period YYYY-MM [--json]

load: nạp một tệp danh mục đơn vị (CSV UTF-8 hoặc .xlsx). Cột bắt buộc: code, level, name,
valid_from; tùy chọn: parent_code, contact_email, valid_to, merged_into. Tệp có lỗi bị từ
chối cả tệp, không thay đổi gì.
show: các đơn vị đang áp dụng trong kỳ.

  --dry-run         Chỉ cho biết sẽ thay đổi gì (đơn vị mới, sáp nhập, đổi tên), không lưu
  --period YYYY-MM  Kỳ cần xem (show)
  --json            Kết quả dạng JSON
  -h, --help        Hướng dẫn này
`,
  plan: `tthc plan load FILE [--dry-run] [--json]
tthc plan show --period YYYY-MM [--json]

load: nạp một tệp kế hoạch (CSV UTF-8 hoặc .xlsx), mỗi kế hoạch một dòng. Cột bắt buộc:
citation (ví dụ "Kế hoạch số 15/KH-UBND ngày 20/01/2026 của UBND thành phố"), valid_from,
floor_pct (mức tối thiểu tỷ lệ hồ sơ trực tuyến, ví dụ 60); tùy chọn: valid_to,
services_goal_pct (mặc định 80), window_from, window_to (kỳ chỉ tiêu), collector (đơn vị tổng
hợp báo cáo). Danh mục thủ tục thí điểm chỉ tiếp nhận trực tuyến: thêm các dòng cùng valid_from
với pilot_level (department, district, commune) và pilot_procedure (tùy chọn pilot_field,
pilot_unit). Nạp lại kế hoạch cùng valid_from thì thay kế hoạch cũ. Tệp có lỗi bị từ chối cả tệp.
show: kế hoạch áp dụng trong kỳ (có sẵn: Kế hoạch 128/KH-UBND; đã nạp; hoặc theo cột plan của
tệp chỉ tiêu) mà bảng tính và thư báo cáo lãnh đạo trích dẫn.

  --dry-run         Chỉ cho biết sẽ thay đổi gì, không lưu (load)
  --period YYYY-MM  Kỳ cần xem (show)
  --json            Kết quả dạng JSON
  -h, --help        Hướng dẫn này
`,
  targets: `tthc targets load FILE [--dry-run] [--json]
tthc targets show --period YYYY-MM [--json]
tthc targets allocate --baseline FILE (--pool department=N,district=N,commune=N | --goal-rate R)
                      [--window FROM..TO] --out FILE
tthc targets allocate --from-periods A..B --window C..D (--pool LEVEL=N,... | --goal-rate R) --out FILE

load: nạp một tệp chỉ tiêu (CSV UTF-8 hoặc .xlsx). Cột: unit, window_from, window_to,
target_pct (số phần trăm 0–100, ví dụ 95 hoặc 99,5; ô Excel định dạng % được hiểu là phần
trăm; để trống: không giao); tùy chọn: plan (kế hoạch giao chỉ tiêu, ví dụ "Kế hoạch số
15/KH-UBND ngày 20/01/2026 …", được trích dẫn trong báo cáo các kỳ của chỉ tiêu khi không có tệp
kế hoạch). Tệp có lỗi bị từ chối cả tệp, không thay đổi gì.
show: chỉ tiêu đang áp dụng trong kỳ, có sẵn (builtin) hay đã nạp (loaded).
allocate: giao chỉ tiêu theo phương pháp Phụ lục 2, ghi ra tệp mà targets load nhận. Với
--from-periods, số liệu gốc là báo cáo các đơn vị đã gửi trong các kỳ A..B, dự kiến cho các kỳ
C..D; bên cạnh tệp chỉ tiêu là phụ lục .xlsx để trình ký. Đơn vị không có báo cáo nào trong các
kỳ gốc không được giao chỉ tiêu và được liệt kê riêng.

  --dry-run          Chỉ cho biết sẽ thay đổi gì, không lưu (load)
  --period YYYY-MM   Kỳ cần xem (show)
  --baseline FILE    Tệp số liệu gốc: code, level, projected_total, projected_online, not_online
  --from-periods A..B  Hoặc: các kỳ gốc lấy từ báo cáo đã lưu, ví dụ 2026-01..2026-04
  --pool LEVEL=N,... Số hồ sơ trực tuyến cần giao thêm cho mỗi cấp
  --goal-rate R      Hoặc: tỷ lệ trực tuyến cần đạt của mỗi cấp, trong (0, 1], ví dụ 0.6
  --window FROM..TO  Kỳ chỉ tiêu (mặc định 2022-05..2022-12)
  --out FILE         Tệp chỉ tiêu ghi ra
  --json             Kết quả dạng JSON (load, show)
  -h, --help         Hướng dẫn này
`,
};
