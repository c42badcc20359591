import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import { type Observable, throwError } from 'rxjs';

/**
 * Hands a handler's error to {@link MessagingTransport} unchanged, instead of Nest's default RPC filter,
 * which turns every non-`RpcException` into `{ message: 'Internal server error' }`. The transport needs
 * the original: an `InvalidMessageError` dead-letters at once, the message is kept in the dead letter,
 * and an AppError's code and kind reach the caller of a request. `@OnEvent` and `@OnRequest` apply it;
 * with plain `@EventPattern` / `@MessagePattern`, register it with `microservice.useGlobalFilters(...)`.
 */
@Catch()
export class MessagingExceptionFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}
