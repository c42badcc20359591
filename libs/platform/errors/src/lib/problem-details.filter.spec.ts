import { type ArgumentsHost, BadRequestException, HttpException, Logger, NotFoundException } from '@nestjs/common';
import { z } from 'zod';
import { isBusinessError, isRetryable } from './app-error';
import { ConflictError, NotFoundError, RateLimitedError, TimeoutError, UnavailableError } from './errors';
import { ProblemDetailsFilter, problemFor } from './problem-details.filter';
import { validationErrorFrom } from './zod-issues';

describe(problemFor.name, () => {
  it('maps validation errors to 422 naming each field', () => {
    const parsed = z.object({ items: z.array(z.object({ quantity: z.number().int().positive() })) }).safeParse({ items: [{ quantity: -1 }] });
    const sut = problemFor(validationErrorFrom(parsed.error!, 'request body'));
    expect(sut).toMatchObject({ status: 422, code: 'validation-failed', detail: 'Invalid request body: items.0.quantity' });
    expect(sut.errors).toEqual([{ path: 'items.0.quantity', message: expect.stringContaining('>0') }]);
  });

  it.each([
    [new NotFoundError('order 1 does not exist'), 404],
    [new ConflictError('taken'), 409],
    [new UnavailableError('catalog is down'), 503],
    [new TimeoutError('catalog took too long'), 504],
    [new NotFoundException(), 404],
    [new BadRequestException('nope'), 400],
  ])('maps %s to %i', (error, status) => {
    expect(problemFor(error).status).toBe(status);
  });

  it('calls a body Fastify could not parse a malformed request', () => {
    const cause = Object.assign(new Error('Body is not valid JSON'), { code: 'FST_ERR_CTP_INVALID_JSON_BODY', statusCode: 400 });
    const sut = problemFor(new HttpException('Body is not valid JSON', 400, { cause }));
    expect(sut).toMatchObject({ status: 400, code: 'malformed-request' });
  });

  it('maps a rate limit to 429 with retryAfterSec, as a retryable business outcome, not a fault', () => {
    const error = new RateLimitedError('too many login attempts; retry in 90 s', 89.2, 'identity.login-throttled');
    expect(problemFor(error)).toMatchObject({ status: 429, title: 'Too Many Requests', code: 'identity.login-throttled', retryAfterSec: 90 });
    expect([isBusinessError(error), isRetryable(error)]).toEqual([true, true]);
  });

  it('hides the message of unexpected errors', () => {
    const sut = problemFor(new Error('password=hunter2 leaked in a stack'));
    expect(sut).toMatchObject({ status: 500, code: 'internal', detail: 'An unexpected error occurred.' });
  });
});

describe(ProblemDetailsFilter.name, () => {
  let headers: unknown[][] = [];

  function handle(error: unknown) {
    const reply = { status: vi.fn().mockReturnThis(), header: vi.fn().mockReturnThis(), send: vi.fn() };
    headers = reply.header.mock.calls;
    const host = { switchToHttp: () => ({ getResponse: () => reply, getRequest: () => ({ url: '/x' }) }) } as unknown as ArgumentsHost;
    const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const error_ = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    new ProblemDetailsFilter().catch(error, host);
    const calls = { warn: warn.mock.calls, error: error_.mock.calls, status: reply.status.mock.calls[0]?.[0] };
    vi.restoreAllMocks();
    return calls;
  }

  it('logs a known outage (circuit open, bulkhead full) at warn with its code and no stack', () => {
    const sut = handle(new UnavailableError('Upstream "catalog" has too many calls in flight', 'bulkhead-full'));
    expect(sut.status).toBe(503);
    expect(sut.error).toEqual([]);
    expect(sut.warn).toEqual([[{ code: 'bulkhead-full', reason: 'Upstream "catalog" has too many calls in flight' }, 'request failed with 503']]);
  });

  it('logs an unexpected fault at error with the error itself', () => {
    const boom = new Error('boom');
    const sut = handle(boom);
    expect(sut.status).toBe(500);
    expect(sut.warn).toEqual([]);
    expect(sut.error).toEqual([[{ err: boom, code: 'internal' }, 'request failed with 500']]);
  });

  it('logs nothing for a client error', () => {
    const sut = handle(new NotFoundError('order 1 does not exist'));
    expect([sut.status, sut.warn, sut.error]).toEqual([404, [], []]);
    expect(headers).toEqual([['content-type', 'application/problem+json']]);
  });

  it('answers a rate limit with 429 and a Retry-After header, logging nothing', () => {
    const sut = handle(new RateLimitedError('slow down', 30));
    expect([sut.status, sut.warn, sut.error]).toEqual([429, [], []]);
    expect(headers).toEqual([
      ['content-type', 'application/problem+json'],
      ['retry-after', '30'],
    ]);
  });
});
