import { flag } from '@nestkit/config';
import { z } from 'zod';

const url = (what: string) => z.url({ message: `must be an http(s) URL of ${what}` });

/**
 * Tracing settings, from the standard `OTEL_*` variables where OpenTelemetry defines one, validated at
 * boot like every other key. The embedded default exports nothing (`none`) but still makes real spans,
 * so trace and span ids are in every log line and propagate to the next hop.
 */
export const telemetryConfigSchema = z.object({
  /** `true`: no spans at all (the OpenTelemetry API stays a no-op); contexts still pass through. */
  OTEL_SDK_DISABLED: flag(false),
  /** Where spans go: OTLP over HTTP (Jaeger, Tempo, any collector), Zipkin, the console, or nowhere. */
  OTEL_TRACES_EXPORTER: z.enum(['otlp', 'zipkin', 'console', 'none'], { message: 'must be one of otlp, zipkin, console, none' }).default('none'),
  /** OTLP/HTTP base URL; spans go to `<it>/v1/traces`. */
  OTEL_EXPORTER_OTLP_ENDPOINT: url('an OTLP/HTTP receiver, e.g. http://127.0.0.1:4318').default('http://127.0.0.1:4318'),
  /** The full OTLP/HTTP traces URL, when it is not `<OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces`. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url('an OTLP/HTTP traces endpoint').optional(),
  OTEL_EXPORTER_ZIPKIN_ENDPOINT: url('a Zipkin span endpoint').default('http://127.0.0.1:9411/api/v2/spans'),
  /** Share of new traces recorded (parent-based: a caller's decision is followed). */
  TRACES_SAMPLER_RATIO: z.coerce.number({ message: 'must be a number from 0 to 1' }).min(0).max(1).default(1),
  /** Spans waiting for export; beyond it new spans are dropped (and counted), never blocking a request. */
  OTEL_BSP_MAX_QUEUE_SIZE: z.coerce.number().int().min(1).max(1_000_000).default(2048),
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: z.coerce.number().int().min(1).max(100_000).default(512),
  /** Milliseconds between two exports. */
  OTEL_BSP_SCHEDULE_DELAY: z.coerce.number().int().min(0).max(600_000).default(1000),
  /** Longest one export may take, in milliseconds. */
  OTEL_BSP_EXPORT_TIMEOUT: z.coerce.number().int().min(1).max(600_000).default(10_000),
  /** Extra resource attributes, `key=value,key2=value2` (e.g. `deployment.environment.name=staging`). */
  OTEL_RESOURCE_ATTRIBUTES: z
    .string()
    .regex(/^\s*$|^[^=,]+=[^,]*(,[^=,]+=[^,]*)*$/, { message: 'must be key=value pairs separated by commas' })
    .default(''),
});

export type TelemetryConfig = z.infer<typeof telemetryConfigSchema>;
