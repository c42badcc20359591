import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Readiness check: the database answers `SELECT 1`. */
@Injectable()
export class DatabaseReadiness {
  readonly name = 'database';

  constructor(private readonly dataSource: DataSource) {}

  async check(): Promise<void> {
    if (!this.dataSource.isInitialized) throw new Error('database connection is not initialised');
    await this.dataSource.query('SELECT 1');
  }
}
