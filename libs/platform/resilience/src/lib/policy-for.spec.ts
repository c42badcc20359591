import { TimeoutError } from '@nestkit/errors';
import type { IDefaultPolicyContext, IMergedPolicy, IPolicy } from 'cockatiel';
import { policyFor } from './policy-for';
import { UpstreamTimeoutPolicy } from './upstream-timeout.policy';

describe(policyFor.name, () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('applies the upstream timeout', async () => {
    vi.useFakeTimers();
    const sut = policyFor('identity', { timeoutMs: 300 });
    expect((sut as IMergedPolicy<IDefaultPolicyContext, never, IPolicy[]>).wrapped).toEqual([expect.any(UpstreamTimeoutPolicy)]);
    const done = sut.execute(() => new Promise<never>(() => undefined));
    done.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(300);
    await expect(done).rejects.toThrow(TimeoutError);
    await expect(done).rejects.toThrow('"identity" did not answer within 300 ms');
  });

  it('hands the call a cancellation signal', async () => {
    const sut = policyFor('identity', { timeoutMs: 300 });
    await expect(sut.execute(({ signal }) => signal instanceof AbortSignal)).resolves.toBe(true);
  });
});
