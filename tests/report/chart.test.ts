// The trend chart: the SVG says what the leadership reads (Vietnamese labels, the floor,
// a gap where nothing was reported), and the PNG is drawn with the shipped font only.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHART_HEIGHT, CHART_WIDTH, chartFontFiles, renderSvg, trendChartInput, trendChartPng, trendChartSvg, type TrendChartInput } from '../../shared/report/chart.ts';
import { counts, History, report, unit, targets } from './helpers.ts';

const INPUT: TrendChartInput = {
  title: 'Tỷ lệ hồ sơ trực tuyến theo kỳ',
  periods: ['2022-05', '2022-06', '2022-07', '2022-08'],
  floor: 0.6,
  series: [
    { label: 'Toàn thành phố', values: [0.41, 0.47, null, 0.63], main: true },
    { label: 'Xã, phường, thị trấn', values: [0.2, 0.25, 0.3, 0.33] },
  ],
};

/** Share of dark pixels in a band of rows (RGBA, scale 1). */
function ink(pixels: Buffer, width: number, fromY: number, toY: number): number {
  let dark = 0;
  for (let y = fromY; y < toY; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      if (pixels[i] + pixels[i + 1] + pixels[i + 2] < 300) dark++;
    }
  }
  return dark / ((toY - fromY) * width);
}

describe('trend chart', () => {
  it('labels periods, series and the floor in Vietnamese, escaped', () => {
    const svg = trendChartSvg({ ...INPUT, series: [...INPUT.series, { label: 'Sở <A> & "B"', values: [0.5, 0.5, 0.5, 0.5] }] });
    for (const text of ['Tỷ lệ hồ sơ trực tuyến theo kỳ', '05/2022', '08/2022', 'Toàn thành phố', 'Xã, phường, thị trấn', 'Mức tối thiểu 60% (Kế hoạch)', '41,0%', '63,0%']) {
      expect(svg).toContain(text);
    }
    expect(svg).toContain('Sở &lt;A&gt; &amp; &quot;B&quot;');
    expect(svg).not.toContain('<A>');
  });

  it('breaks the line where a period has no figure', () => {
    const svg = trendChartSvg(INPUT);
    const city = [...svg.matchAll(/<path d="([^"]+)"[^>]*stroke-width="3.5"/g)].map((m) => m[1]);
    expect(city).toHaveLength(1);
    expect(city[0].match(/M/g)).toHaveLength(2);
    expect(city[0].match(/L/g)).toHaveLength(1);
  });

  it('renders a PNG of the declared size, with the title drawn by the shipped font', () => {
    for (const f of chartFontFiles()) expect(existsSync(f)).toBe(true);
    const png = trendChartPng(INPUT, 1);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBe(CHART_WIDTH);
    expect(png.readUInt32BE(20)).toBe(CHART_HEIGHT);
    const image = renderSvg(trendChartSvg(INPUT), 1);
    // The title's band (y 12–36) has glyphs; system fonts are never loaded, so this ink is DejaVu's.
    expect(ink(image.pixels, image.width, 12, 36)).toBeGreaterThan(0.01);
    // Without any text, the same band is blank: the check above can fail.
    const blank = renderSvg(trendChartSvg({ ...INPUT, title: '' }), 1);
    expect(ink(blank.pixels, blank.width, 12, 36)).toBe(0);
  });

  it('draws the city and each level with figures from a period report', () => {
    const h = new History();
    for (const p of ['2022-05', '2022-06']) {
      h.report('S01', p, counts({ online: 60, direct: 40 }));
      h.report('X001', p, counts({ online: 10, direct: 90 }));
    }
    const r = report({
      period: '2022-06', data: h.data, units: [unit('S01', 'department'), unit('X001', 'commune')], targets: targets({ S01: 50, X001: 30 }),
    });
    const chart = trendChartInput(r);
    expect(chart.periods).toEqual(['2022-05', '2022-06']);
    expect(chart.series.map((s) => s.label)).toEqual(['Toàn thành phố', 'Sở, ban, ngành', 'Xã, phường, thị trấn']);
    expect(chart.series[0].values).toEqual([0.35, 0.35]);
    expect(chart.series[1].values).toEqual([0.6, 0.6]);
    expect(chart.floor).toBe(0.6);
  });
});
