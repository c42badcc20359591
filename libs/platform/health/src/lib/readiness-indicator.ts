/**
 * One dependency a service needs before it can take traffic (its database, a broker connection).
 * `check` resolves when the dependency answers and rejects with an error that says what is wrong.
 */
export interface ReadinessIndicator {
  readonly name: string;
  check(): Promise<void>;
}
