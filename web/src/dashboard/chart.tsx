// One chart with uPlot (small and fast: canvas, no dependencies), readable without colour: each series has
// its own line pattern (solid, dashed, dotted) or bar fill (solid, hatched), named in a legend drawn beside it,
// and the chart carries a one-sentence summary for screen readers (its numbers are in the table under it).
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export type ChartSeries = { label: string; values: (number | null)[] };
export type ChartSpec = {
  kind: 'bars' | 'lines';
  /** The x positions' labels: dates, categories, bands. */
  labels: string[];
  series: ChartSeries[];
  /** Lines only: a shaded interval between two more series (the forecast's 80%). */
  band?: { low: number[]; high: number[]; lowLabel: string; highLabel: string };
  /** The y axis as a percentage (0–1 values shown as 0–100%). */
  percent?: boolean;
};

const INK = '#1b1f24';
const MUTED = '#4b5563';
const GRID = '#e5e7eb';
/** Series look: solid, dashed and dotted lines; solid and hatched bars (never colour alone). */
const COLOURS = ['#0f4c5c', '#8a4b00', '#4b5563'];
const DASHES: number[][] = [[], [7, 4], [2, 3]];
const COUNT_STEPS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000];

const hatched = (colour: string): CanvasPattern | string => {
  const tile = document.createElement('canvas');
  tile.width = tile.height = 8;
  const context = tile.getContext('2d');
  if (!context) return colour;
  context.strokeStyle = colour;
  context.lineWidth = 2;
  context.beginPath();
  context.moveTo(0, 8);
  context.lineTo(8, 0);
  context.moveTo(-2, 2);
  context.lineTo(2, -2);
  context.moveTo(6, 10);
  context.lineTo(10, 6);
  context.stroke();
  return context.createPattern(tile, 'repeat') ?? colour;
};

/** About how wide one character of the axis font is, in pixels (uPlot's 12px sans-serif). */
const CHARACTER_PX = 7;
/** A label short enough for its slot on the axis: a date as day.month, anything else cut to fit (the table has it whole). */
const axisLabel = (label: string, room: number) => {
  const date = /^\d{4}-(\d{2})-(\d{2})$/.exec(label);
  if (date) return `${Number(date[2])}.${Number(date[1])}`;
  const fits = Math.max(3, Math.min(12, Math.floor(room / CHARACTER_PX)));
  return label.length > fits ? `${label.slice(0, fits - 1).trimEnd()}…` : label;
};

const optionsFor = (spec: ChartSpec, width: number): uPlot.Options => {
  const count = spec.labels.length;
  // At most about one label per 48 pixels.
  const every = Math.max(1, Math.ceil((count * 48) / Math.max(width, 1)));
  const bars = spec.kind === 'bars';
  const series: uPlot.Series[] = [
    {},
    ...spec.series.map((one, index): uPlot.Series => {
      const colour = COLOURS[index % COLOURS.length]!;
      if (bars)
        return {
          label: one.label,
          stroke: colour,
          width: 1,
          fill: index % 2 === 1 ? hatched(colour) : colour,
          paths: uPlot.paths.bars!({
            size: [spec.series.length > 1 ? 0.4 : 0.7, 48],
            align: spec.series.length > 1 ? (index === 0 ? -1 : 1) : 0,
          }),
          points: { show: false },
        };
      return { label: one.label, stroke: colour, width: 2, dash: DASHES[index % DASHES.length]!, points: { show: count <= 31, size: 5 } };
    }),
  ];
  if (spec.band)
    series.push(
      { label: spec.band.lowLabel, stroke: MUTED, width: 1, dash: [2, 3], points: { show: false } },
      { label: spec.band.highLabel, stroke: MUTED, width: 1, dash: [2, 3], points: { show: false } },
    );
  const yValues = (_: uPlot, splits: number[]) => splits.map((value) => (spec.percent ? `${Math.round(value * 100)}%` : String(value)));
  return {
    width,
    height: 220,
    legend: { show: false },
    cursor: { show: false },
    ...(spec.band ? { bands: [{ series: [spec.series.length + 2, spec.series.length + 1], fill: 'rgba(15, 76, 92, 0.12)' }] } : {}),
    scales: {
      x: { time: false, range: bars ? [-0.5, count - 0.5] : [0, Math.max(1, count - 1)] },
      y: { range: (_u, _min, max) => [0, spec.percent ? 1 : Math.max(1, Math.ceil(max * 1.15))] },
    },
    axes: [
      {
        stroke: INK,
        grid: { show: false },
        ticks: { show: false },
        splits: () => spec.labels.map((_, index) => index).filter((index) => index % every === 0),
        // Each label has its slot of the plot's width (less the y axis), with a little space either side.
        values: (plot, splits) =>
          splits.map((index) => axisLabel(spec.labels[index] ?? '', ((plot.width - 60) / Math.max(count, 1)) * every - 6)),
      },
      {
        stroke: INK,
        size: 52,
        grid: { stroke: GRID, width: 1 },
        // Counts step in whole numbers (no "0.5 tickets"); percentages in tenths of the whole.
        incrs: spec.percent ? [0.1, 0.2, 0.25, 0.5] : COUNT_STEPS,
        values: yValues,
      },
    ],
    series,
  };
};

export const Chart = ({ spec, summary }: { spec: ChartSpec; summary: string }) => {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const width = () => Math.max(260, element.clientWidth);
    const data = [
      spec.labels.map((_, index) => index),
      ...spec.series.map((one) => one.values),
      ...(spec.band ? [spec.band.low, spec.band.high] : []),
    ] as uPlot.AlignedData;
    const plot = new uPlot(optionsFor(spec, width()), data, element);
    const resized = new ResizeObserver(() => plot.setSize({ width: width(), height: 220 }));
    resized.observe(element);
    return () => {
      resized.disconnect();
      plot.destroy();
    };
  }, [spec]);
  return (
    <div class="chart-box">
      <div class="chart" role="img" aria-label={summary} ref={ref} />
      <ul class="legend">
        {spec.series.map((one, index) => (
          <li key={one.label}>
            <span class={`swatch ${spec.kind === 'bars' ? `bar-${index % 2}` : `line-${index % DASHES.length}`}`} aria-hidden="true" />
            {one.label}
          </li>
        ))}
        {spec.band && (
          <li>
            <span class="swatch band" aria-hidden="true" />
            {spec.band.lowLabel} – {spec.band.highLabel}
          </li>
        )}
      </ul>
    </div>
  );
};
