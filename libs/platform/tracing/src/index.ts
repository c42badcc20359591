export { endServerSpan, serverSpanOf, startServerSpan } from './lib/http-server.spans';
export { activeTraceIds, contextFrom, failSpan, injectContext, inSpan, linkTo, sampledTraceId, SpanKind, SpanStatusCode, type TraceCarrier, traceFields, tracer } from './lib/spans';
export { type TelemetryConfig, telemetryConfigSchema } from './lib/telemetry.config';
export { currentTelemetry, instrument, startTelemetry, type Telemetry, type TelemetryOptions } from './lib/telemetry';
