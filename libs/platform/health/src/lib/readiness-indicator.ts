/**
 * One dependency a service needs before it can take traffic (its database, a broker connection).
 * `check` resolves when the dependency answers and rejects with an error that says what is wrong.
 */
export interface ReadinessIndicator {
  readonly name: string;
  /**
   * False for a dependency the instance can keep serving without for a while (the service registry:
   * the last known instance list keeps working). Its failure shows as `degraded` in `/health/ready`
   * but does not fail readiness. Default true.
   */
  readonly critical?: boolean;
  check(): Promise<void>;
}
