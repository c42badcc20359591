import type { ResilienceEvent, ResilienceListener } from './lib/resilience-event';

/** A {@link ResilienceListener} that keeps every event it receives, for assertions in tests. */
export class RecordingResilienceListener implements ResilienceListener {
  readonly events: ResilienceEvent[] = [];

  onEvent(event: ResilienceEvent): void {
    this.events.push(event);
  }

  /** The kinds of the events received so far, in order. */
  kinds(): ResilienceEvent['kind'][] {
    return this.events.map((event) => event.kind);
  }
}
