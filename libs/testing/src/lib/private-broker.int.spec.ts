import { connect } from 'node:net';
import { PrivateBroker } from './private-broker';

const reachable = (address: string) =>
  new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(address.includes('://') ? address : `tcp://${address}`);
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

describe(PrivateBroker.name, () => {
  it.each(['rabbitmq', 'kafka'] as const)('starts a private %s, kills it with SIGKILL and brings it back', async (kind) => {
    const sut = await PrivateBroker.start(kind);
    try {
      expect(await reachable(sut.address)).toBe(true);
      await sut.kill9();
      expect(await reachable(sut.address)).toBe(false);
      await sut.up();
      expect(await reachable(sut.address)).toBe(true);
    } finally {
      await sut.stop();
    }
  }, 120_000);
});
