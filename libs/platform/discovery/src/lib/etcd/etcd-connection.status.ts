import type { RegistryStatus } from '../registry-status';

/**
 * Folds the health of several independent parts (the watch stream, each lease) into one status:
 * degraded while any part is failing, connected once every part has recovered.
 */
export class EtcdConnectionStatus {
  private readonly failing = new Map<string, string>();
  private current: RegistryStatus;

  constructor(
    private readonly onChange: (status: RegistryStatus) => void = () => undefined,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.current = { state: 'connected', since: now() };
  }

  get(): RegistryStatus {
    return this.current;
  }

  /** Records that `part` failed; the status turns (or stays) degraded with this error. */
  fail(part: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.failing.set(part, message);
    const since = this.current.state === 'degraded' ? this.current.since : this.now();
    this.set({ state: 'degraded', since, lastError: message });
  }

  /** Records that `part` works (again); the status turns connected when no other part is failing. */
  ok(part: string): void {
    if (!this.failing.delete(part) || this.failing.size > 0) return;
    this.set({ state: 'connected', since: this.now() });
  }

  private set(next: RegistryStatus): void {
    const changed = next.state !== this.current.state || next.lastError !== this.current.lastError;
    this.current = next;
    if (changed) this.onChange(next);
  }
}
