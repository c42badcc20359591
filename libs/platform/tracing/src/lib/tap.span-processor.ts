import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';

/**
 * A span processor others can be attached to after the provider is built (the SDK's provider takes its
 * processors once). Tests attach an in-memory exporter to a process whose telemetry already started;
 * with nothing attached it costs one empty loop per span.
 */
export class TapSpanProcessor implements SpanProcessor {
  private readonly attached: SpanProcessor[] = [];

  attach(processor: SpanProcessor): () => void {
    this.attached.push(processor);
    return () => {
      const at = this.attached.indexOf(processor);
      if (at >= 0) this.attached.splice(at, 1);
    };
  }

  onStart(span: Span, parentContext: Context): void {
    for (const processor of this.attached) processor.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    for (const processor of this.attached) processor.onEnd(span);
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.attached.map((processor) => processor.forceFlush()));
  }

  async shutdown(): Promise<void> {
    await Promise.all(this.attached.map((processor) => processor.shutdown()));
  }
}
