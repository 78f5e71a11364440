// Inline SVG charts of the HTML report: a 12-week bar chart per key (this week darker) and the lead-time
// stage breakdown as one stacked bar. Fixed pixel geometry (mail clients ignore viewBox scaling rules
// inconsistently), a <title> per bar for the value, and a baseline path so an all-empty trend still draws.
import { esc } from './escape.ts';

export interface TrendBar {
  label: string;
  value: number | null;
  /** The value as shown (e.g. `3.5 h`). */
  text: string;
}

const round = (x: number): number => Math.round(x * 10) / 10;

export function trendChart(key: string, title: string, bars: TrendBar[], width = 120, height = 32): string {
  const n = Math.max(1, bars.length);
  const gap = 2;
  const barWidth = (width - gap * (n - 1)) / n;
  const max = Math.max(0, ...bars.map((b) => b.value ?? 0));
  const inner = height - 2;
  const rects = bars.map((b, i) => {
    const x = round(i * (barWidth + gap));
    const last = i === bars.length - 1;
    const tip = `<title>${esc(b.label)}: ${esc(b.text)}</title>`;
    if (b.value === null)
      return `<rect x="${x}" y="${height - 2}" width="${round(barWidth)}" height="1" fill="#d0d7de">${tip}</rect>`;
    const h = max > 0 ? Math.max(1, round((b.value / max) * inner)) : 1;
    return `<rect x="${x}" y="${round(height - 1 - h)}" width="${round(barWidth)}" height="${h}" fill="${last ? '#0b57d0' : '#8fb3f5'}">${tip}</rect>`;
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `role="img" aria-label="${esc(title)}" data-chart="${esc(key)}" style="display:block">` +
    `<path d="M0 ${height - 0.5}H${width}" stroke="#8c959f" stroke-width="1" fill="none"/>${rects.join('')}</svg>`
  );
}

export interface Stage {
  name: string;
  hours: number | null;
  text: string;
  color: string;
}

/** The median of each lead-time stage as one stacked bar, proportional to the hours. */
export function stagesChart(key: string, stages: Stage[], width = 320, height = 14): string {
  const total = stages.reduce((s, x) => s + (x.hours ?? 0), 0);
  let x = 0;
  const parts: string[] = [];
  for (const s of stages) {
    if (!s.hours || total <= 0) continue;
    const w = round((s.hours / total) * width);
    if (w <= 0) continue;
    parts.push(
      `<rect x="${round(x)}" y="0" width="${w}" height="${height}" fill="${esc(s.color)}"><title>${esc(s.name)}: ${esc(s.text)}</title></rect>`,
    );
    x += w;
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `role="img" aria-label="lead time by stage" data-chart="${esc(key)}" style="display:block;max-width:100%">` +
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#eaeef2"/>${parts.join('')}</svg>`
  );
}
