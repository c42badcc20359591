import type { SigningKeyStateName } from './signing-key.entity';

/** A key as the policy sees it: its state and the instants (epoch ms) that matter. */
export interface KeyRecord {
  kid: string;
  state: SigningKeyStateName;
  createdAt: number;
  activatedAt?: number;
  removeAfter?: number;
}

/** The schedule, in milliseconds. */
export interface RotationSettings {
  /** How long a key signs before the next one takes over. */
  rotationIntervalMs: number;
  /** How long a key is published before it may sign. */
  publishLeadMs: number;
  /**
   * How long after a key stops signing a token it signed may still be presented: the longest token
   * lifetime, plus the time a replica may go on signing with it before it reloads, plus clock skew.
   */
  retireAfterMs: number;
}

/** One change to the key set; applied in order, in one transaction. */
export type KeyAction =
  | { type: 'create'; state: 'active' | 'next' }
  | { type: 'activate'; kid: string }
  | { type: 'retire'; kid: string; removeAfter: number }
  | { type: 'remove'; kid: string };

/** What the policy decided, and (when a rotation was due or asked for) why it could not happen yet. */
export interface KeyPlan {
  actions: KeyAction[];
  /** Set when a rotation is due but the next key has not been published long enough: the instant it may sign. */
  nextReadyAt?: number;
}

const newestFirst = (a: KeyRecord, b: KeyRecord) => (b.activatedAt ?? b.createdAt) - (a.activatedAt ?? a.createdAt) || a.kid.localeCompare(b.kid);

/** The key that signs: the most recently activated active key (replicas agree even if two ever exist). */
export function signingKeyOf(keys: readonly KeyRecord[]): KeyRecord | undefined {
  return keys.filter((key) => key.state === 'active').sort(newestFirst)[0];
}

/**
 * Decides the next changes to the key set. Invariants: exactly one active key signs; a `next` key is
 * always published, and it signs only after `publishLeadMs` in the JWKS; a retired key stays in the JWKS
 * for `retireAfterMs` so every token it signed still verifies. `force` rotates before the interval is up.
 */
export function planKeyMaintenance(keys: readonly KeyRecord[], now: number, settings: RotationSettings, force = false): KeyPlan {
  const actions: KeyAction[] = keys.filter((key) => key.state === 'retiring' && (key.removeAfter ?? 0) <= now).map((key) => ({ type: 'remove', kid: key.kid }));
  const active = signingKeyOf(keys);
  const retire = (key: KeyRecord): KeyAction => ({ type: 'retire', kid: key.kid, removeAfter: now + settings.retireAfterMs });
  // Should two replicas ever both have created an active key, keep the newest and retire the others.
  actions.push(...keys.filter((key) => key.state === 'active' && key !== active).map(retire));
  // The key published longest is the next one; extra ones (two replicas racing) never signed and go.
  const [next, ...extraNext] = keys.filter((key) => key.state === 'next').sort((a, b) => a.createdAt - b.createdAt || a.kid.localeCompare(b.kid));
  actions.push(...extraNext.map((key): KeyAction => ({ type: 'remove', kid: key.kid })));
  if (!active) {
    actions.push(next ? { type: 'activate', kid: next.kid } : { type: 'create', state: 'active' }, { type: 'create', state: 'next' });
    return { actions };
  }
  const due = force || now - (active.activatedAt ?? active.createdAt) >= settings.rotationIntervalMs;
  if (!next) {
    actions.push({ type: 'create', state: 'next' });
    return due ? { actions, nextReadyAt: now + settings.publishLeadMs } : { actions };
  }
  if (!due) return { actions };
  const readyAt = next.createdAt + settings.publishLeadMs;
  if (now < readyAt) return { actions, nextReadyAt: readyAt };
  actions.push({ type: 'activate', kid: next.kid }, retire(active), { type: 'create', state: 'next' });
  return { actions };
}
