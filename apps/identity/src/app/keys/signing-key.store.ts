import { Injectable } from '@nestjs/common';
import { inTransaction } from '@nestkit/database';
import { DataSource, type EntityManager } from 'typeorm';
import { type KeyAction, type KeyPlan, type KeyRecord, planKeyMaintenance, type RotationSettings } from './key-rotation.policy';
import { SigningKeyEntity } from './signing-key.entity';
import type { SigningKeyFactory } from './signing-key.factory';

/** A row as the rotation policy reads it. */
export function recordOf(row: SigningKeyEntity): KeyRecord {
  return {
    kid: row.kid,
    state: row.state,
    createdAt: Number(row.createdAt),
    ...(row.activatedAt === null ? {} : { activatedAt: Number(row.activatedAt) }),
    ...(row.removeAfter === null ? {} : { removeAfter: Number(row.removeAfter) }),
  };
}

/** The key rows after maintenance, and the plan that was applied. */
export interface MaintenanceResult {
  rows: SigningKeyEntity[];
  plan: KeyPlan;
}

/**
 * Reads and changes the `signing_keys` table. Maintenance plans and applies in one transaction that
 * holds the rows (FOR UPDATE on PostgreSQL; SQLite runs transactions one at a time), so replicas that
 * run their schedule together still make one rotation.
 */
@Injectable()
export class SigningKeyStore {
  constructor(private readonly dataSource: DataSource) {}

  all(): Promise<SigningKeyEntity[]> {
    return this.dataSource.getRepository(SigningKeyEntity).find();
  }

  maintain(factory: SigningKeyFactory, now: number, settings: RotationSettings, force: boolean): Promise<MaintenanceResult> {
    return inTransaction(this.dataSource, async (manager) => {
      const rows = await manager.find(SigningKeyEntity, { ...(this.isPostgres() ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
      const plan = planKeyMaintenance(rows.map(recordOf), now, settings, force);
      for (const action of plan.actions) await this.apply(manager, factory, action, now);
      return { rows: plan.actions.length === 0 ? rows : await manager.find(SigningKeyEntity), plan };
    });
  }

  private async apply(manager: EntityManager, factory: SigningKeyFactory, action: KeyAction, now: number): Promise<void> {
    switch (action.type) {
      case 'create':
        await manager.insert(SigningKeyEntity, await factory.create(action.state, now));
        return;
      case 'activate':
        await manager.update(SigningKeyEntity, { kid: action.kid }, { state: 'active', activatedAt: String(now) });
        return;
      case 'retire':
        await manager.update(SigningKeyEntity, { kid: action.kid }, { state: 'retiring', removeAfter: String(action.removeAfter) });
        return;
      case 'remove':
        await manager.delete(SigningKeyEntity, { kid: action.kid });
        return;
    }
  }

  private isPostgres(): boolean {
    return this.dataSource.options.type === 'postgres';
  }
}
