// Vietnamese number conventions and the neutralising of text from uploads (format.ts).
import { describe, expect, it } from 'vitest';
import { int, pct, pp, safeText } from '../../shared/report/format.ts';

describe('safeText', () => {
  it.each(['=HYPERLINK("http://x")', '+84 225', '-3', '@SUM(A1)', '\tA', '\rB'])('%j gets a leading apostrophe', (text) => {
    expect(safeText(text)).toBe(`'${text}`);
  });

  it.each(['Sở Tư pháp', '', ' =x', "'=x", 'a=b', '1+1'])('%j is left as it is', (text) => {
    expect(safeText(text)).toBe(text);
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
