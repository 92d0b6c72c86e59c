/**
 * Reading the analysis view's numbers as the page shows them: a table's row by its model's name, a percentage cell,
 * and the figures a reliability diagram's definition states (ECE before and after temperature scaling, T, the
 * number of images it reports on).
 */
import type { App } from './helpers';

/** The cells of the row headed `rowName`, by their column headings (the text of each `<th scope=col>`). */
export async function tableRow(app: App, testId: string, rowName: string): Promise<Record<string, string>> {
  const row = await app.testId(testId).evaluate((table, name) => {
    const text = (el: Element) => (el.textContent ?? '').replace(/\s+/g, ' ').trim();
    const heads = [...table.querySelectorAll('thead th')].map(text);
    const tr = [...table.querySelectorAll('tbody tr')].find((r) => {
      const head = r.querySelector('th');
      return head !== null && text(head) === name;
    });
    if (!tr) return null;
    const cells = [...tr.children].map(text);
    return Object.fromEntries(heads.map((h, i) => [h, cells[i]]));
  }, rowName);
  if (!row) throw new Error(`[data-testid=${testId}] has no row for ${rowName}`);
  return row;
}

/** `97.0%` or `97.0% ± 1.2` → 0.97. */
export function percentIn(cell: string | undefined): number {
  const m = /^(-?[\d.]+)\s*%/.exec(cell ?? '');
  if (!m) throw new Error(`expected a percentage, got ${JSON.stringify(cell)}`);
  return Number(m[1]) / 100;
}

export interface ShownCalibration {
  eceBefore: number;
  eceAfter: number;
  temperature: number;
  reportN: number;
}

/** The figures in the definition of the reliability diagram titled "Reliability: <model>". */
export async function calibrationOf(app: App, model: string): Promise<ShownCalibration> {
  const card = app.testId('reliability-chart').filter({ hasText: `Reliability: ${model}` });
  const text = ((await card.first().textContent()) ?? '').replace(/\s+/g, ' ');
  const ece = /ECE ([\d.]+)% → ([\d.]+)%/.exec(text);
  const t = /\(T = ([\d.]+), fitted/.exec(text);
  const n = /on (\d+) test images/.exec(text);
  if (!ece || !t || !n) throw new Error(`the reliability diagram of ${model} does not state ECE, T and n: ${text}`);
  return {
    eceBefore: Number(ece[1]) / 100,
    eceAfter: Number(ece[2]) / 100,
    temperature: Number(t[1]),
    reportN: Number(n[1]),
  };
}
