import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { currentTelemetry, startTelemetry, tap } from './lib/telemetry';

let exporter: InMemorySpanExporter | undefined;

/**
 * Keeps every span this process ends in memory, for unit and integration tests: starts telemetry (no
 * exporter) unless something already did, and attaches an in-memory exporter. Returns it; call
 * `exporter.reset()` between tests, read `exporter.getFinishedSpans()`.
 */
export function recordSpans(service = 'test'): InMemorySpanExporter {
  if (exporter) return exporter;
  if (!currentTelemetry()) startTelemetry({ service, env: {} });
  if (currentTelemetry()?.config.OTEL_SDK_DISABLED) throw new Error('recordSpans(): OTEL_SDK_DISABLED=true in this process; no span is made');
  exporter = new InMemorySpanExporter();
  tap.attach(new SimpleSpanProcessor({ exporter }));
  return exporter;
}

/** The recorded spans named `name` (exact, or matching a RegExp). */
export function spansNamed(spans: readonly ReadableSpan[], name: string | RegExp): ReadableSpan[] {
  return spans.filter((span) => (typeof name === 'string' ? span.name === name : name.test(span.name)));
}

/** The parent span id of a recorded span, or undefined for a root. */
export function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

export type { ReadableSpan };
