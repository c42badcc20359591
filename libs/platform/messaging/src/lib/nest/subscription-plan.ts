import type { MessageContract } from '../envelope/message-contract';
import type { ContractRegistry } from './contract-registry';
import { handlerOptionsFrom } from './handler-extras';

/** `event` for `@EventPattern` / `@OnEvent` handlers, `request` for `@MessagePattern` / `@OnRequest`. */
export type HandlerKind = 'event' | 'request';

/** A handler as Nest registered it with the transport. */
export interface RegisteredHandler<H> {
  pattern: string;
  kind: HandlerKind;
  handler: H;
  extras?: Record<string, unknown>;
}

/** One subscription the transport will make: a handler, its contract and its consumer group. */
export interface PlannedSubscription<H> extends RegisteredHandler<H> {
  contract: MessageContract;
  group: string;
  maxDeliveries?: number;
  retryDelaysMs?: readonly number[];
}

/** Where defaults come from: the transport's options. */
export interface PlanContext {
  service: string;
  registry: ContractRegistry;
  maxDeliveries?: number;
  retryDelaysMs?: readonly number[];
}

const DECORATORS: Record<HandlerKind, { plain: string; ours: string }> = {
  event: { plain: '@EventPattern', ours: '@OnEvent' },
  request: { plain: '@MessagePattern', ours: '@OnRequest' },
};

/**
 * Resolves every handler's contract and consumer group (`<service>.<group option | method name | pattern>`).
 * Throws one error listing every pattern without a contract and every clash, so a service never starts
 * with a handler whose messages would go unvalidated or be split between two handlers by mistake.
 */
export function planSubscriptions<H>(handlers: readonly RegisteredHandler<H>[], context: PlanContext): PlannedSubscription<H>[] {
  const problems: string[] = [];
  const planned: PlannedSubscription<H>[] = [];
  for (const registered of handlers) {
    const options = handlerOptionsFrom(registered.extras);
    const contract = options.contract ?? context.registry.find(registered.pattern);
    if (!contract) {
      const { plain, ours } = DECORATORS[registered.kind];
      problems.push(
        `no message contract for pattern "${registered.pattern}" (${plain}): add its contract to the \`contracts\` ` +
          `option of MessagingTransport, or declare the handler with ${ours}(Contract)`,
      );
      continue;
    }
    const maxDeliveries = options.maxDeliveries ?? context.maxDeliveries;
    const retryDelaysMs = options.retryDelaysMs ?? context.retryDelaysMs;
    planned.push({
      ...registered,
      contract,
      group: `${context.service}.${options.group ?? options.handler ?? registered.pattern}`,
      ...(maxDeliveries === undefined ? {} : { maxDeliveries }),
      ...(retryDelaysMs === undefined ? {} : { retryDelaysMs }),
    });
  }
  problems.push(...clashesIn(planned));
  if (problems.length > 0) {
    throw new Error(`MessagingTransport for "${context.service}" cannot start:\n- ${problems.join('\n- ')}`);
  }
  return planned;
}

function clashesIn<H>(planned: readonly PlannedSubscription<H>[]): string[] {
  const problems: string[] = [];
  for (const type of new Set(planned.map((p) => p.contract.type))) {
    const events = planned.filter((p) => p.contract.type === type && p.kind === 'event');
    const requests = planned.filter((p) => p.contract.type === type && p.kind === 'request');
    if (events.length > 0 && requests.length > 0) {
      problems.push(`"${type}" has both event and request handlers; a message type is either an event or a request`);
    }
    if (requests.length > 1) {
      problems.push(`"${type}" has ${requests.length} request handlers; a request gets one reply, so keep one`);
    }
    const groups = events.map((p) => p.group);
    for (const group of new Set(groups.filter((g, i) => groups.indexOf(g) !== i))) {
      problems.push(
        `two handlers of "${type}" share consumer group "${group}" and would each get only part of the messages; ` +
          'give one of them its own `group` option',
      );
    }
  }
  return problems;
}
