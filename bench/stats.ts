// Small statistics and formatting helpers for the bench.

/** Nearest-rank percentile (p in 0..100) of a list of numbers. */
export const percentile = (values: readonly number[], p: number): number => {
  if (values.length === 0) throw new Error('percentile of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
};

export const median = (values: readonly number[]): number => percentile(values, 50);

/** Milliseconds taken by one call. */
export const timed = async (run: () => Promise<unknown>): Promise<number> => {
  const start = performance.now();
  await run();
  return performance.now() - start;
};

export const ms = (value: number): string => `${value.toFixed(value < 10 ? 2 : 1)} ms`;

export const seconds = (value: number): string => `${value.toFixed(value < 10 ? 1 : 0)} s`;

/** 20000 → "20,000". */
export const count = (value: number): string => value.toLocaleString('en-US');

/** numerator ÷ denominator, written "1.00×". */
export const ratio = (numerator: number, denominator: number): string => `${(numerator / denominator).toFixed(2)}×`;

export const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

export const table = (header: readonly string[], rows: readonly (readonly string[])[]): string =>
  [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
