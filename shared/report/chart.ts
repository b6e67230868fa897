// The trend chart the leadership reads on Tổng hợp and in the email: the online rate of
// the city and of each level per period, against the plan's floor. exceljs writes no
// native charts, so the chart is an SVG drawn here and rendered to PNG by resvg. The font
// is loaded from the dejavu-fonts-ttf package, never from the system: the PNG is the same
// on a laptop, in CI and in Lambda (which has no fonts), and the Vietnamese labels render.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import { periodLabel } from '../period.ts';
import { escapeHtml } from '../text.ts';
import { LEVEL_NAMES, LEVELS } from '../units/unit.ts';
import { floorPct, pct } from './format.ts';
import type { LeadershipReport } from './period-report.ts';

export interface TrendSeries {
  label: string;
  /** One rate (fraction) per period, null where nothing was reported. */
  values: Array<number | null>;
  /** The city's line is drawn thicker, with its figures. */
  main?: boolean;
}

export interface TrendChartInput {
  title: string;
  periods: string[];
  series: TrendSeries[];
  /** The plan's floor for the online share (0.6), drawn as a dashed line. */
  floor: number;
}

export const CHART_WIDTH = 960;
export const CHART_HEIGHT = 440;
export const CHART_FONT_FAMILY = 'DejaVu Sans';
const COLOURS = ['#1f4e79', '#2e8b57', '#c55a11', '#7030a0', '#808000'];
const FLOOR_COLOUR = '#c00000';

/** The TTF files the chart is drawn with: DejaVu Sans covers Vietnamese. */
export function chartFontFiles(): string[] {
  const names = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'];
  // A bundled Lambda carries the files beside its code (fonts/); elsewhere the npm package has them.
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = names.map((n) => join(here, 'fonts', n));
  if (beside.every((f) => existsSync(f))) return beside;
  const dir = dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json'));
  return names.map((n) => join(dir, 'ttf', n));
}

/** The chart as SVG text (the PNG is rendered from it). */
export function trendChartSvg(input: TrendChartInput): string {
  const W = CHART_WIDTH;
  const H = CHART_HEIGHT;
  const left = 64;
  const right = W - 52;
  const top = 56;
  const bottom = H - 96;
  const n = input.periods.length;
  const x = (i: number) => (n <= 1 ? (left + right) / 2 : left + 24 + (i * (right - left - 48)) / (n - 1));
  const y = (rate: number) => bottom - Math.max(0, Math.min(1, rate)) * (bottom - top);
  const t = (s: string) => escapeHtml(s);
  const parts: string[] = [];
  parts.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`);
  parts.push(`<text x="${W / 2}" y="30" text-anchor="middle" font-size="19" font-weight="bold" fill="#111">${t(input.title)}</text>`);
  // Grid and the y axis: 0% to 100% every 20 points.
  for (let g = 0; g <= 100; g += 20) {
    const gy = y(g / 100);
    parts.push(`<line x1="${left}" y1="${gy}" x2="${right}" y2="${gy}" stroke="${g === 0 ? '#333' : '#d9d9d9'}" stroke-width="1"/>`);
    parts.push(`<text x="${left - 8}" y="${gy + 5}" text-anchor="end" font-size="13" fill="#333">${g}%</text>`);
  }
  // The x axis: one label per period; thinned when the year has many.
  const every = Math.max(1, Math.ceil(n / 12));
  input.periods.forEach((p, i) => {
    if (i % every !== 0 && i !== n - 1) return;
    parts.push(`<text x="${x(i)}" y="${bottom + 22}" text-anchor="middle" font-size="13" fill="#333">${t(periodLabel(p))}</text>`);
  });
  // The floor.
  const fy = y(input.floor);
  parts.push(`<line x1="${left}" y1="${fy}" x2="${right}" y2="${fy}" stroke="${FLOOR_COLOUR}" stroke-width="2" stroke-dasharray="8 6"/>`);
  // Its figure in the right margin, clear of the lines (the legend names it).
  parts.push(`<text x="${right + 6}" y="${fy + 5}" font-size="13" font-weight="bold" fill="${FLOOR_COLOUR}">${floorPct(input.floor)}</text>`);
  // The lines, the main one last so it sits on top; a null breaks the line.
  const order = input.series.map((s, i) => ({ s, colour: COLOURS[i % COLOURS.length] })).sort((a, b) => Number(a.s.main ?? false) - Number(b.s.main ?? false));
  for (const { s, colour } of order) {
    const width = s.main ? 3.5 : 2;
    let path = '';
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === null) { pen = false; return; }
      path += `${pen ? 'L' : 'M'}${x(i).toFixed(1)} ${y(v).toFixed(1)} `;
      pen = true;
    });
    if (path) parts.push(`<path d="${path.trim()}" fill="none" stroke="${colour}" stroke-width="${width}" stroke-linejoin="round"/>`);
    s.values.forEach((v, i) => {
      if (v === null) return;
      parts.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="${s.main ? 4.5 : 3}" fill="${colour}"/>`);
      if (!s.main) return;
      // The figure above the point, or below it when another line passes just above.
      const crowded = input.series.some((o) => o !== s && o.values[i] !== null && o.values[i]! >= v && o.values[i]! - v < 0.07) || Math.abs(input.floor - v) < 0.05 && input.floor >= v;
      const ty = crowded ? y(v) + 20 : y(v) - 10;
      parts.push(`<text x="${x(i).toFixed(1)}" y="${ty.toFixed(1)}" text-anchor="middle" font-size="12" font-weight="bold" fill="${colour}" stroke="#ffffff" stroke-width="3" paint-order="stroke">${t(pct(v))}</text>`);
    });
  }
  // The legend, under the axis, in rows of up to three entries.
  const legend = [...input.series.map((s, i) => ({ label: s.label, colour: COLOURS[i % COLOURS.length], dash: false, main: s.main ?? false })),
    { label: `Mức tối thiểu ${floorPct(input.floor)} (Kế hoạch)`, colour: FLOOR_COLOUR, dash: true, main: false }];
  const perRow = 3;
  const colWidth = (right - left) / perRow;
  legend.forEach((e, i) => {
    const lx = left + (i % perRow) * colWidth;
    const ly = bottom + 50 + Math.floor(i / perRow) * 22;
    parts.push(`<line x1="${lx}" y1="${ly - 5}" x2="${lx + 28}" y2="${ly - 5}" stroke="${e.colour}" stroke-width="${e.main ? 3.5 : 2}"${e.dash ? ' stroke-dasharray="8 6"' : ''}/>`);
    parts.push(`<text x="${lx + 36}" y="${ly}" font-size="13" fill="#111"${e.main ? ' font-weight="bold"' : ''}>${t(e.label)}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="${CHART_FONT_FAMILY}">${parts.join('')}</svg>`;
}

/** Renders SVG with the shipped font only; `scale` 1.5 (1440 px) prints sharp at ~16 cm wide (~230 dpi). */
export function renderSvg(svg: string, scale = 1.5) {
  return new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: false, fontFiles: chartFontFiles(), defaultFontFamily: CHART_FONT_FAMILY, sansSerifFamily: CHART_FONT_FAMILY },
    background: '#ffffff',
    logLevel: 'off',
  }).render();
}

/** The trend chart as PNG bytes. */
export function trendChartPng(input: TrendChartInput, scale = 1.5): Buffer {
  return renderSvg(trendChartSvg(input), scale).asPng();
}

/** The period report's trend (its year-to-date window, period by period) as chart input. */
export function trendChartInput(r: LeadershipReport, title = `Tỷ lệ hồ sơ trực tuyến theo kỳ, ${periodLabel(r.ytdFrom)} – ${periodLabel(r.period)}`): TrendChartInput {
  const periods = r.trend.map((x) => x.period);
  // Only the levels with figures: a 2025 city has no district line.
  const levels = LEVELS.filter((l) => r.trend.some((x) => x.levels[l] !== null));
  // Named as in the period's registry ("Xã, phường, đặc khu" since 2025-07).
  const names = new Map(r.levels.map((l) => [l.level, l.name]));
  return {
    title, periods, floor: r.floor,
    series: [
      { label: 'Toàn thành phố', values: r.trend.map((x) => x.city), main: true },
      ...levels.map((l) => ({ label: names.get(l) ?? LEVEL_NAMES[l], values: r.trend.map((x) => x.levels[l]) })),
    ],
  };
}
