import { observeWithExemplar, platformMetrics, secondsSince } from '@nestkit/metrics';
import type { CircuitBreaker } from '@nestkit/resilience';
import { failSpan, injectContext, sampledTraceId, SpanKind, tracer } from '@nestkit/tracing';
import { context, trace as otelTrace } from '@opentelemetry/api';
import type { Middleware } from './endpoint';

function attemptDuration() {
  return platformMetrics.histogram({
    name: 'http_client_request_duration_seconds',
    help: 'Time to the response headers of one attempt to an upstream instance, by upstream, instance, method and status code (error_type when there was no answer).',
    labelNames: ['upstream', 'instance', 'method', 'status_code', 'error_type'],
  });
}

/**
 * The span of one logical call (`call <service>`): its attempts are its children, retries and hedges
 * show as further attempts, and it ends with the answer's status and the upstream breaker's state. The
 * rest of the chain runs inside it.
 */
export function traceCall(service: string, breaker: CircuitBreaker | undefined): Middleware {
  return (next) => async (attempt) => {
    const parent = context.active();
    const span = tracer().startSpan(`call ${service}`, { kind: SpanKind.INTERNAL, attributes: { 'nestkit.upstream': service, 'http.request.method': attempt.exchange.method } }, parent);
    try {
      const answer = await context.with(otelTrace.setSpan(parent, span), () => next(attempt));
      span.setAttribute('http.response.status_code', answer.status);
      return answer;
    } catch (error) {
      failSpan(span, error);
      throw error;
    } finally {
      if (span.isRecording()) {
        span.setAttribute('nestkit.attempts', attempt.exchange.tried.length);
        if (breaker) span.setAttribute('nestkit.breaker.state', breaker.state);
      }
      span.end();
    }
  };
}

/**
 * One CLIENT span per attempt, child of the call's span, whose context goes upstream in `traceparent`
 * (and `tracestate`, `baggage`), so the instance's SERVER span is its child; and the attempt's duration
 * per upstream and instance. Innermost, right before the transport: the instance is known.
 */
export function traceAttempt(service: string): Middleware {
  const duration = attemptDuration();
  return (next) => async (attempt) => {
    const exchange = attempt.exchange;
    const instance = attempt.instance;
    const instanceId = instance?.id ?? '';
    const parent = context.active();
    const span = tracer().startSpan(
      exchange.method,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'http.request.method': exchange.method,
          'server.address': instance?.host,
          'server.port': instance?.port,
          'url.path': exchange.call.path.split('?', 1)[0],
          'http.request.resend_count': Math.max(0, exchange.tried.length - 1),
          'nestkit.upstream': service,
          'nestkit.instance.id': instanceId,
          ...(attempt.hedged ? { 'nestkit.attempt.hedge': true } : {}),
        },
      },
      parent,
    );
    // Read synchronously by the transport before its first await, so concurrent (hedged) attempts of one
    // call each send their own span.
    injectContext(exchange.headers, otelTrace.setSpan(parent, span));
    const started = process.hrtime.bigint();
    try {
      const answer = await next(attempt);
      span.setAttribute('http.response.status_code', answer.status);
      if (answer.status >= 500) failSpan(span, new Error(`HTTP ${answer.status}`), String(answer.status));
      observeWithExemplar(duration, { upstream: service, instance: instanceId, method: exchange.method, status_code: String(answer.status), error_type: '' }, secondsSince(started), sampledTraceId(span.spanContext()));
      return answer;
    } catch (error) {
      if (attempt.lost) span.setAttribute('nestkit.attempt.outcome', 'hedge-lost');
      else failSpan(span, error);
      const code = (error as { code?: unknown }).code;
      observeWithExemplar(duration, 
        { upstream: service, instance: instanceId, method: exchange.method, status_code: '', error_type: attempt.lost ? 'hedge-lost' : typeof code === 'string' ? code : 'error' },
        secondsSince(started),
        sampledTraceId(span.spanContext()),
      );
      throw error;
    } finally {
      span.end();
    }
  };
}
