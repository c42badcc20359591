// Issue 11: `promtool check config`, `check rules` and the rule unit tests pass, and every metric the
// alert rules and dashboards of deploy/observability use is one the apps export (scripts/check-observability.mjs).
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const repoRoot = resolve(__dirname, '..');

describe('deploy/observability', () => {
  it('passes promtool and names only metrics the apps export', () => {
    const result = spawnSync(process.execPath, ['scripts/check-observability.mjs'], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
    expect(result.stderr + result.stdout).toContain('check-observability: OK');
    expect(result.status).toBe(0);
  });
});
