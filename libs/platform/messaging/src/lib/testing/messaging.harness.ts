import type { Publisher } from '../publisher';
import type { DeadLetter, Subscriber } from '../subscriber';

/** A backend under conformance test: its two ports plus what the suite needs to observe it. */
export interface MessagingHarness {
  publisher: Publisher;
  subscriber: Subscriber;
  /** Resolves once every published message was handled, or retried out and dead-lettered. */
  idle(): Promise<void>;
  /** Messages the backend dead-lettered (from its DLQ, for brokers). */
  deadLetters(): Promise<readonly DeadLetter[]>;
  close(): Promise<void>;
}

/** Creates a fresh, isolated backend for one test. */
export type MessagingHarnessFactory = () => MessagingHarness | Promise<MessagingHarness>;
