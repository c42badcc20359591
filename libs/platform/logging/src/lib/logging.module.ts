import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { TraceContextStore } from '@nestkit/tracing';
import { LoggerModule, type Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { REDACTED_PATHS } from './redaction';
import { traceContextOf } from './request-trace';

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

/** Runs the rest of the request inside its trace context, so outgoing calls can find it. */
function traceContextMiddleware(req: object, _res: unknown, next: () => void): void {
  TraceContextStore.run(traceContextOf(req), next);
}

/**
 * JSON logs with pino through nestjs-pino: one line per request with status and duration, and
 * `trace_id`/`span_id` from the W3C `traceparent` on every line the request produces. Credentials
 * are redacted by path.
 */
@Module({})
export class LoggingModule implements NestModule {
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
            genReqId: (req) => traceContextOf(req).spanId,
            customProps: (req) => {
              const ctx = traceContextOf(req);
              return { trace_id: ctx.traceId, span_id: ctx.spanId };
            },
            // Health probes every few seconds would drown the useful lines.
            autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health/') },
            transport: options.pretty ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
          }),
        }),
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(traceContextMiddleware).forRoutes('*path');
  }
}
