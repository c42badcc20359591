import { endpointPair } from './endpoint-pair';
import { IpcError, IpcPeer } from './ipc.peer';

describe(IpcPeer.name, () => {
  it('answers requests with the handler result, per channel', async () => {
    const pair = endpointPair();
    const server = new IpcPeer(pair.parent, 'discovery');
    const other = new IpcPeer(pair.parent, 'messaging');
    server.handle('add', (body) => (body as number[]).reduce((a, b) => a + b, 0));
    other.handle('add', () => -1);
    const sut = new IpcPeer(pair.child, 'discovery');
    await expect(sut.request('add', [1, 2, 3])).resolves.toBe(6);
  });

  it('carries handler errors back as IpcError with the message', async () => {
    const pair = endpointPair();
    new IpcPeer(pair.parent, 'c').handle('boom', () => {
      throw Object.assign(new Error('registry said no'), { code: 'discovery.instance-not-found' });
    });
    const sut = new IpcPeer(pair.child, 'c');
    const error = await sut.request('boom').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpcError);
    expect(error).toMatchObject({ message: 'registry said no', code: 'discovery.instance-not-found' });
  });

  it('times out a request nobody answers', async () => {
    const pair = endpointPair();
    const sut = new IpcPeer(pair.child, 'c');
    await expect(sut.request('silence', undefined, 30)).rejects.toThrow(/no answer to silence within 30 ms/);
  });

  it('fails pending requests at once when the other side goes away', async () => {
    const pair = endpointPair();
    new IpcPeer(pair.parent, 'c').handle('slow', () => new Promise(() => undefined));
    const sut = new IpcPeer(pair.child, 'c');
    const pending = sut.request('slow', undefined, 60_000);
    pair.close();
    await expect(pending).rejects.toThrow(/went away/);
  });

  it('delivers notifications without a reply', async () => {
    const pair = endpointPair();
    const received: unknown[] = [];
    new IpcPeer(pair.parent, 'c').handle('changed', (body) => void received.push(body));
    new IpcPeer(pair.child, 'c').notify('changed', { n: 1 });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(received).toEqual([{ n: 1 }]);
  });
});
