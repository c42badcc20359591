import type { DiagLogger } from '@opentelemetry/api';

/**
 * The SDK's warnings and errors on stderr, each distinct message at most once per `windowMs`, with the
 * number of repeats it held back: an unreachable collector fails an export every second, and a line per
 * failure would drown the service's own logs (the dropped spans are counted in a metric anyway).
 */
export function throttledDiag(service: string, write: (line: string) => void, windowMs = 60_000, now: () => number = Date.now): DiagLogger {
  const last = new Map<string, { at: number; held: number }>();
  const emit = (message: string) => {
    const key = message.slice(0, 200);
    const at = now();
    const seen = last.get(key);
    if (seen && at - seen.at < windowMs) {
      seen.held += 1;
      return;
    }
    const repeats = seen?.held ? ` (and ${seen.held} more like it in the last ${Math.round((at - seen.at) / 1000)} s)` : '';
    last.set(key, { at, held: 0 });
    if (last.size > 100) last.delete(last.keys().next().value as string);
    write(`${service}: opentelemetry: ${message}${repeats}\n`);
  };
  const silent = () => undefined;
  return { verbose: silent, debug: silent, info: silent, warn: emit, error: emit };
}
