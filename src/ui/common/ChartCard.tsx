/** A chart with its title, a one-line definition, and CSV / PNG export. */
import { useRef, type ReactNode } from 'react';
import { exportCsv, exportPng } from './chartExport';

export interface ChartCardProps {
  title: string;
  definition: string;
  /** The chart's numbers, one object per row, for the CSV. */
  rows: Record<string, string | number | null>[];
  fileName: string;
  testId?: string;
  /** A link to the longer explanation, shown after the definition. */
  explain?: ReactNode;
  /** The chart's numbers in brief, as `data-series` (JSON), for tests to read. */
  series?: string;
  children: ReactNode;
}

export function ChartCard({ title, definition, rows, fileName, testId, explain, series, children }: ChartCardProps) {
  const ref = useRef<HTMLElement>(null);
  return (
    <figure className="chart-card" ref={ref} data-testid={testId} data-series={series}>
      <figcaption>
        <strong>{title}</strong>
        <span className="help"> — {definition}</span> {explain}
      </figcaption>
      {children}
      <div className="chart-export">
        <button
          type="button"
          className="link-button"
          onClick={() => exportCsv(rows, `${fileName}.csv`)}
          aria-label={`Export ${title} as CSV`}
        >
          CSV
        </button>
        <button
          type="button"
          className="link-button"
          onClick={() => ref.current && void exportPng(ref.current, `${fileName}.png`)}
          aria-label={`Export ${title} as PNG`}
        >
          PNG
        </button>
      </div>
    </figure>
  );
}
