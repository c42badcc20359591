export { childOf, continueFromHeaders, formatTraceparent, newTraceContext, parseTraceparent, type TraceContext } from './lib/trace-context';
export { TraceContextStore } from './lib/trace-context.store';
