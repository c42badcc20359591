import { waitFor } from '@nestkit/testing';
import { PlatformProcess } from './platform-process';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `npm start` is a process tree: the services must never outlive the launcher. */
describe('launcher', () => {
  it('stops every service process when the launcher is killed with SIGKILL', async () => {
    const sut = await PlatformProcess.start();
    const services = sut.servicePids;
    expect(services).toHaveLength(5);
    expect(services.every(alive)).toBe(true);

    process.kill(sut.pid, 'SIGKILL');

    await waitFor(() => services.every((pid) => !alive(pid)), { what: `service pids ${services.join(', ')} to exit`, timeoutMs: 20_000, intervalMs: 100 });
    expect(await sut.stop()).toBeNull();
  });
});
