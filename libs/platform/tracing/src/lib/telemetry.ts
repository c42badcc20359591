import { hostname } from 'node:os';
import { ConfigError, loadConfig } from '@nestkit/config';
import { platformMetrics, type PlatformMetrics } from '@nestkit/metrics';
import { context, diag, DiagLogLevel, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  ParentBasedSampler,
  type SpanExporter,
  type SpanProcessor,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { spanProcessorMeterProvider } from './span-processor.metrics';
import { TapSpanProcessor } from './tap.span-processor';
import { throttledDiag } from './throttled-diag';
import { type TelemetryConfig, telemetryConfigSchema } from './telemetry.config';

/** What {@link startTelemetry} needs to know of the process. */
export interface TelemetryOptions {
  /** `service.name` of every span. */
  service: string;
  /** `service.version` (default 0.1.0). */
  version?: string;
  /** `service.instance.id` (default `<hostname>-<pid>`). */
  instanceId?: string;
  /** Settings (default `process.env`), see {@link telemetryConfigSchema}. */
  env?: Record<string, string | undefined>;
  /** Span exporter to use instead of the configured one, behind the batch processor. */
  exporter?: SpanExporter;
  /** Where the span processor's own counts go (default the process's {@link platformMetrics}). */
  metrics?: PlatformMetrics;
}

/** The running tracing SDK of this process. */
export interface Telemetry {
  readonly service: string;
  readonly config: TelemetryConfig;
  /** Exports every ended span now (within `timeoutMs`); never rejects. */
  flush(timeoutMs?: number): Promise<void>;
  /** Flushes, then stops exporting (within `timeoutMs`); never rejects. */
  shutdown(timeoutMs?: number): Promise<void>;
}

let running: Telemetry | undefined;
/** Where tests attach their in-memory exporter (`@nestkit/tracing/testing`). */
export const tap = new TapSpanProcessor();

/**
 * Starts OpenTelemetry tracing for this process, once, before the application is built: a tracer
 * provider with the service's resource, a parent-based ratio sampler (`TRACES_SAMPLER_RATIO`), W3C trace
 * context and baggage propagation, `AsyncLocalStorage` context, and the configured exporter behind a
 * bounded batch processor (a full queue drops spans and counts them; an unreachable collector never
 * delays a request). A second call returns the first one's telemetry: several apps in one test process
 * share one SDK. Throws `ConfigError` naming each bad key.
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  if (running) return running;
  const config = loadConfig(options.service, telemetryConfigSchema, options.env ?? process.env);
  // Propagation works even with the SDK off, so a disabled service still passes its callers' trace on.
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  if (config.OTEL_SDK_DISABLED) {
    running = { service: options.service, config, flush: async () => undefined, shutdown: async () => undefined };
    return running;
  }
  diag.setLogger(throttledDiag(options.service, (line) => process.stderr.write(line)), DiagLogLevel.WARN);
  const processors: SpanProcessor[] = [tap];
  const exporter = options.exporter ?? exporterFor(config);
  if (exporter) {
    processors.push(
      new BatchSpanProcessor({
        exporter,
        maxQueueSize: config.OTEL_BSP_MAX_QUEUE_SIZE,
        maxExportBatchSize: Math.min(config.OTEL_BSP_MAX_EXPORT_BATCH_SIZE, config.OTEL_BSP_MAX_QUEUE_SIZE),
        scheduledDelayMillis: config.OTEL_BSP_SCHEDULE_DELAY,
        exportTimeoutMillis: config.OTEL_BSP_EXPORT_TIMEOUT,
        selfObsMeterProvider: spanProcessorMeterProvider(options.metrics ?? platformMetrics),
      }),
    );
  }
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      ...parseResourceAttributes(config.OTEL_RESOURCE_ATTRIBUTES),
      [ATTR_SERVICE_NAME]: options.service,
      [ATTR_SERVICE_VERSION]: options.version ?? '0.1.0',
      'service.instance.id': options.instanceId ?? `${hostname()}-${process.pid}`,
    }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.TRACES_SAMPLER_RATIO) }),
    spanProcessors: processors,
  });
  trace.setGlobalTracerProvider(provider);
  const bounded = (work: () => Promise<void>, timeoutMs: number) =>
    new Promise<void>((done) => {
      const timer = setTimeout(done, timeoutMs);
      timer.unref();
      work().then(
        () => (clearTimeout(timer), done()),
        () => (clearTimeout(timer), done()),
      );
    });
  running = {
    service: options.service,
    config,
    flush: (timeoutMs = 5_000) => bounded(() => provider.forceFlush({ timeoutMillis: timeoutMs }), timeoutMs),
    shutdown: (timeoutMs = 5_000) => bounded(() => provider.shutdown(), timeoutMs),
  };
  return running;
}

/** The telemetry this process started, if any. */
export function currentTelemetry(): Telemetry | undefined {
  return running;
}

/**
 * For an app's `instrumentation.ts`, the first module its `main.ts` loads: {@link startTelemetry}, and on
 * a configuration error the error's message (naming each bad key) and exit code 78, as `runMain` does.
 */
export function instrument(options: TelemetryOptions): Telemetry | undefined {
  try {
    return startTelemetry(options);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
}

function exporterFor(config: TelemetryConfig): SpanExporter | undefined {
  switch (config.OTEL_TRACES_EXPORTER) {
    case 'otlp':
      return new OTLPTraceExporter({
        url: config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? `${config.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`,
        timeoutMillis: config.OTEL_BSP_EXPORT_TIMEOUT,
      });
    case 'zipkin':
      return new ZipkinExporter({ url: config.OTEL_EXPORTER_ZIPKIN_ENDPOINT });
    case 'console':
      return new ConsoleSpanExporter();
    case 'none':
      return undefined;
  }
}

function parseResourceAttributes(value: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const pair of value.split(',')) {
    const at = pair.indexOf('=');
    if (at > 0) attributes[pair.slice(0, at).trim()] = decodeURIComponent(pair.slice(at + 1).trim());
  }
  return attributes;
}
