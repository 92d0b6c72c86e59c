/** Exports a chart's numbers as CSV and its drawing (the SVG recharts renders, or a canvas chart) as a PNG. */
import { downloadBlob } from './downloadBlob';

export function exportCsv(rows: Record<string, string | number | null>[], fileName: string): void {
  if (rows.length === 0) return;
  const header = Object.keys(rows[0]);
  const cell = (v: string | number | null) =>
    v === null ? '' : typeof v === 'number' ? String(v) : `"${v.replace(/"/g, '""')}"`;
  const text = [header.join(','), ...rows.map((r) => header.map((h) => cell(r[h] ?? null)).join(','))].join('\n');
  downloadBlob(new Blob([text], { type: 'text/csv' }), fileName);
}

/** Draws a canvas chart (CanvasLineChart) on white and downloads it, at the resolution it is drawn at. */
async function exportCanvas(drawn: HTMLCanvasElement, fileName: string): Promise<void> {
  const canvas = document.createElement('canvas');
  canvas.width = drawn.width;
  canvas.height = drawn.height;
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(drawn, 0, 0);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('The browser could not encode the PNG.');
  downloadBlob(blob, fileName);
}

/** Draws the first SVG inside `container` (or its canvas chart) on a white canvas at 2× and downloads it. */
export async function exportPng(container: HTMLElement, fileName: string): Promise<void> {
  const drawn = container.querySelector('.canvas-chart canvas');
  if (drawn instanceof HTMLCanvasElement) return exportCanvas(drawn, fileName);
  const svg =
    container.querySelector('svg.recharts-surface') ??
    container.querySelector('svg.plain-chart-surface') ??
    container.querySelector('svg');
  if (!svg) throw new Error('This chart has nothing drawn yet.');
  const { width, height } = svg.getBoundingClientRect();
  const clone = svg.cloneNode(true) as SVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  const url = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(clone)], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('The browser could not draw the chart.'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(width * 2);
    canvas.height = Math.ceil(height * 2);
    const context = canvas.getContext('2d')!;
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.scale(2, 2);
    context.drawImage(image, 0, 0, width, height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error('The browser could not encode the PNG.');
    downloadBlob(blob, fileName);
  } finally {
    URL.revokeObjectURL(url);
  }
}
