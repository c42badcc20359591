import { type DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { activeTraceIds, serverSpanOf } from '@nestkit/tracing';
import { LoggerModule, type Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { REDACTED_PATHS } from './redaction';

export interface LoggingOptions {
  /** Service name, stamped on every line as `service`. */
  service: string;
  level: string;
  /** Pretty, coloured lines for a terminal; JSON (the default) everywhere else. */
  pretty?: boolean;
  /** Where lines go; stdout by default. Tests pass a stream to read them back. */
  destination?: DestinationStream;
}

type PinoHttpOptions = Exclude<NonNullable<Params['pinoHttp']>, unknown[] | DestinationStream>;

function withDestination(options: LoggingOptions, pinoHttp: PinoHttpOptions): Params['pinoHttp'] {
  return options.destination ? [pinoHttp, options.destination] : pinoHttp;
}

/**
 * JSON logs with pino through nestjs-pino: one line per request with status and duration, and
 * `trace_id`/`span_id` of the active span on every line (the tracing lib owns the trace context: it
 * starts the request's span and runs the request, a message handler or a relay pass inside it; this
 * module only reads it). Credentials are redacted by path.
 */
@Module({})
export class LoggingModule {
  static forRoot(options: LoggingOptions): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          // nestjs-pino's default route pattern does not match on Nest 12 with Fastify; name every route.
          forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
          pinoHttp: withDestination(options, {
            level: options.level,
            base: { service: options.service },
            redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
            // Every line written inside a span carries its ids; lines outside any trace (boot) carry none.
            mixin: () => activeTraceIds() ?? {},
            // The request line is written when the response finishes, possibly outside the request's
            // context: its ids come from the request's own span.
            customSuccessObject: (req, _res, value: Record<string, unknown>) => ({ ...value, ...spanIdsOf(req) }),
            customErrorObject: (req, _res, _error, value: Record<string, unknown>) => ({ ...value, ...spanIdsOf(req) }),
            genReqId: (req) => serverSpanOf(req)?.spanContext().spanId ?? '',
            // Health probes every few seconds would drown the useful lines.
            autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health/') || req.url === '/metrics' },
            transport: options.pretty ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
          }),
        }),
      ],
    };
  }
}

function spanIdsOf(req: object): { trace_id?: string; span_id?: string } {
  const span = serverSpanOf(req);
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}
