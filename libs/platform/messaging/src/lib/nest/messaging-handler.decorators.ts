import { applyDecorators, UseFilters } from '@nestjs/common';
import { EventPattern, MessagePattern } from '@nestjs/microservices';
import type { MessageContract } from '../envelope/message-contract';
import { type DecoratedHandlerExtras, MESSAGING_EXTRAS, MESSAGING_TRANSPORT, type MessagingHandlerOptions } from './handler-extras';
import { MessagingExceptionFilter } from './messaging-exception.filter';

/**
 * Handles the events of `contract`: an `@EventPattern(contract.type)` for {@link MessagingTransport} that
 * carries the contract, so the payload is always validated against it. The consumer group is
 * `<service>.<method name>` unless `options.group` names it. Errors reach the transport unchanged
 * (retry, then dead letter; `InvalidMessageError` dead-letters at once).
 */
export function OnEvent(contract: MessageContract, options: MessagingHandlerOptions = {}): MethodDecorator {
  return (target, key, descriptor) => {
    const extras: DecoratedHandlerExtras = { ...options, contract, handler: String(key) };
    applyDecorators(
      EventPattern<string>(contract.type, MESSAGING_TRANSPORT, { [MESSAGING_EXTRAS]: extras }),
      UseFilters(new MessagingExceptionFilter()),
    )(target, key, descriptor);
  };
}

/**
 * Answers requests of `contract`: a `@MessagePattern(contract.type)` for {@link MessagingTransport} that
 * carries the contract. The handler's (last) value is the reply; an error it throws is the reply too, with
 * its message and, for an AppError, its code and kind. The group is `<service>.<method name>` unless
 * `options.group` names it; every instance of the service competes for the requests of that group.
 */
export function OnRequest(contract: MessageContract, options: Pick<MessagingHandlerOptions, 'group'> = {}): MethodDecorator {
  return (target, key, descriptor) => {
    const extras: DecoratedHandlerExtras = { ...options, contract, handler: String(key) };
    applyDecorators(
      MessagePattern(contract.type, MESSAGING_TRANSPORT, { [MESSAGING_EXTRAS]: extras }),
      UseFilters(new MessagingExceptionFilter()),
    )(target, key, descriptor);
  };
}
