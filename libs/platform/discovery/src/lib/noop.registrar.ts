import type { Registrar } from './registrar';

/**
 * A registrar that does nothing, used with a static instance list where membership is
 * configuration rather than something a process announces.
 */
export class NoopRegistrar implements Registrar {
  async register(): Promise<void> {
    return;
  }

  async deregister(): Promise<void> {
    return;
  }

  async setStatus(): Promise<void> {
    return;
  }
}
