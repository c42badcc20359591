import type { Counter, Histogram, Labels, Metrics } from './metrics';

function seriesKey(labels: Labels = {}): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/**
 * Keeps every measurement in memory: the embedded default, and the fake tests assert on. Asking twice
 * for the same name returns the same series, as a Prometheus registry does.
 */
export class InMemoryMetrics implements Metrics {
  private readonly counters = new Map<string, Map<string, number>>();
  private readonly histograms = new Map<string, Map<string, number[]>>();

  private readonly helps = new Map<string, string>();

  counter(name: string, help: string): Counter {
    const series = this.series(this.counters, name, help);
    return {
      inc: (labels, by = 1) => {
        if (by < 0) throw new RangeError(`counter ${name} cannot decrease (inc by ${by})`);
        const key = seriesKey(labels);
        series.set(key, (series.get(key) ?? 0) + by);
      },
    };
  }

  histogram(name: string, help: string): Histogram {
    const series = this.series(this.histograms, name, help);
    return {
      observe: (value, labels) => {
        const key = seriesKey(labels);
        series.set(key, [...(series.get(key) ?? []), value]);
      },
    };
  }

  /** The current value of a counter series (0 when never incremented). */
  counterValue(name: string, labels?: Labels): number {
    return this.counters.get(name)?.get(seriesKey(labels)) ?? 0;
  }

  /** Every value observed by a histogram series, in order. */
  observations(name: string, labels?: Labels): readonly number[] {
    return this.histograms.get(name)?.get(seriesKey(labels)) ?? [];
  }

  /** The help text a metric was created with. */
  help(name: string): string | undefined {
    return this.helps.get(name);
  }

  private series<T>(store: Map<string, Map<string, T>>, name: string, help: string): Map<string, T> {
    if (!NAME.test(name)) throw new TypeError(`metric name "${name}" is not a valid Prometheus name`);
    this.helps.set(name, help);
    let series = store.get(name);
    if (!series) store.set(name, (series = new Map()));
    return series;
  }
}
