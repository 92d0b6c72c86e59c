/**
 * Every chart of the app in one frame: optionally the card (title, one-line definition, CSV / PNG
 * export), a container as wide as its column and of fixed height, and the chart with its grid, axes,
 * tooltip and legend. The caller gives only what differs: the axes' keys, labels and formats, and
 * the series (Line, Bar, Scatter) as children.
 */
import type { ComponentProps, ReactNode } from 'react';
import {
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  type LegendProps,
  LineChart,
  ResponsiveContainer,
  ScatterChart,
  Tooltip,
  type TooltipProps,
  type TooltipValueType,
  XAxis,
  type XAxisProps,
  YAxis,
  type YAxisProps,
} from 'recharts';
import { ChartCard, type ChartCardProps } from './ChartCard';
import { usePacedContent } from './pacedRender';

const CHARTS = { line: LineChart, bar: BarChart, scatter: ScatterChart, composed: ComposedChart } as const;

type ChartProps = ComponentProps<typeof ComposedChart>;

export interface ChartFrameProps {
  /** The card around the chart; without it, the bare chart (the attack lab's probabilities). */
  card?: Omit<ChartCardProps, 'children'>;
  kind: keyof typeof CHARTS;
  height: number;
  /** The chart's own data, when the series do not carry theirs. */
  data?: ChartProps['data'];
  /** Other chart settings: bar gaps, a syncId shared with sibling charts, a margin other than the usual. */
  chart?: Pick<ChartProps, 'margin' | 'barGap' | 'barCategoryGap' | 'syncId' | 'syncMethod'>;
  /** The x axis; `label` is the axis title, placed at the lower right. */
  x: Omit<XAxisProps, 'label' | 'ref'> & { label?: string };
  /** The y axis; `label` is the axis title, written upwards along it. */
  y?: Omit<YAxisProps, 'label' | 'ref'> & { label?: string };
  /** Grid lines: both directions unless `false` for vertical ones. */
  verticalGrid?: boolean;
  tooltip?: Omit<TooltipProps<TooltipValueType, string | number>, 'ref'>;
  /** The legend, or false for none. */
  legend?: Omit<LegendProps, 'ref'> | false;
  children: ReactNode;
}

const MARGIN = { top: 8, right: 12, bottom: 4, left: 4 };
const AXIS_TITLE_SIZE = 11;
/** Height of an x axis with a title under its ticks. */
const TITLED_X_AXIS_HEIGHT = 34;

export function ChartFrame({
  card,
  kind,
  height,
  data,
  chart,
  x,
  y = {},
  verticalGrid = true,
  tooltip = {},
  legend = {},
  children,
}: ChartFrameProps) {
  const Chart = CHARTS[kind];
  const { label: xLabel, ...xAxis } = x;
  const { label: yLabel, ...yAxis } = y;
  const xTitle = xLabel
    ? {
        height: TITLED_X_AXIS_HEIGHT,
        label: { value: xLabel, position: 'insideBottomRight' as const, offset: -2, fontSize: AXIS_TITLE_SIZE },
      }
    : {};
  const yTitle = yLabel
    ? { label: { value: yLabel, angle: -90, position: 'insideLeft' as const, fontSize: AXIS_TITLE_SIZE } }
    : {};
  const plot = (
    <ResponsiveContainer width="100%" height={height}>
      <Chart data={data} margin={MARGIN} {...chart}>
        <CartesianGrid strokeDasharray="3 3" vertical={verticalGrid} />
        <XAxis {...xTitle} {...xAxis} />
        <YAxis {...yTitle} {...yAxis} />
        <Tooltip {...tooltip} />
        {legend && <Legend {...legend} />}
        {children}
      </Chart>
    </ResponsiveContainer>
  );
  const body = <PacedPlot height={height}>{plot}</PacedPlot>;
  return card ? <ChartCard {...card}>{body}</ChartCard> : body;
}

/** The chart, drawn in a task of its own (pacedRender.ts); until its first turn, an empty box of its height. */
function PacedPlot({ height, children }: { height: number; children: ReactNode }) {
  const shown = usePacedContent(children);
  return shown ?? <div className="chart-pending" style={{ height }} />;
}
