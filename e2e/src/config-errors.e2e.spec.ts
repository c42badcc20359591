import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/** A service started with bad configuration stops at once and names every bad key. */
describe('config validation at boot', () => {
  it.each(['gateway', 'identity', 'catalog', 'orders', 'notifications'])('stops %s with exit code 78 naming each bad key', (service) => {
    const main = resolve(__dirname, `../../dist/apps/${service}/src/main.js`);
    const sut = spawnSync(process.execPath, [main], {
      env: { ...process.env, PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://db/x' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(sut.status).toBe(78);
    expect(sut.stderr).toContain(`${service}: invalid configuration`);
    expect(sut.stderr).toMatch(/- PORT: /);
    expect(sut.stderr).toMatch(/- LOG_LEVEL: /);
    if (service !== 'gateway') expect(sut.stderr).toMatch(/- DATABASE_URL: expected sqlite:<file>/);
  });
});
