/** How a registry backend is doing: `degraded` means it serves its last known list and keeps retrying. */
export interface RegistryStatus {
  readonly state: 'connected' | 'degraded';
  /** When the state last changed. */
  readonly since: Date;
  /** The most recent failure, while degraded. */
  readonly lastError?: string;
}

/** A backend that can say whether it is connected (etcd, DNS); embedded and static ones cannot fail. */
export interface ReportsStatus {
  status(): RegistryStatus;
}

/** True when `backend` reports a {@link RegistryStatus}. */
export function reportsStatus(backend: unknown): backend is ReportsStatus {
  return typeof (backend as Partial<ReportsStatus>)?.status === 'function';
}
