// Vietnamese number conventions and the neutralising of text from uploads (format.ts).
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { int, pct, pp, safeText } from '../../shared/report/format.ts';

describe('safeText', () => {
  it.each(['=HYPERLINK("http://x")', '+84 225', '-3', '@SUM(A1)', '\tA', '\rB'])('%j gets a leading apostrophe', (text) => {
    expect(safeText(text)).toBe(`'${text}`);
  });

  it.each(['Sở Tư pháp', '', ' =x', "'=x", 'a=b', '1+1', '_x00G1_', 'x0041_', 'a_x041_'])('%j is left as it is', (text) => {
    expect(safeText(text)).toBe(text);
  });

  it('"_xHHHH_" in a name reads back as written, not as the character Excel would decode', async () => {
    const names = ['Thủ tục _x0041_ cấp phép', '_x000D__x000a_', '=_x0041_'];
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('x');
    names.forEach((n, i) => (ws.getCell(i + 1, 1).value = safeText(n)));
    const back = new ExcelJS.Workbook();
    await back.xlsx.load(await wb.xlsx.writeBuffer());
    // exceljs decodes the escapes on reading as Excel does.
    expect(names.map((_, i) => back.worksheets[0].getCell(i + 1, 1).value)).toEqual(['Thủ tục _x0041_ cấp phép', '_x000D__x000a_', "'=_x0041_"]);
  });
});

describe('numbers as a Vietnamese reader writes them', () => {
  it('percent with a decimal comma, counts with dot separators, signed points', () => {
    expect(pct(0.4731)).toBe('47,3%');
    expect(pct(null)).toBe('—');
    expect(int(1234567)).toBe('1.234.567');
    expect(pp(2.25)).toBe('+2,3');
    expect(pp(0)).toBe('0,0');
  });
});
