import { EventEmitter } from 'node:events';
import type { IpcEndpoint } from './ipc-endpoint';

/**
 * Two connected endpoints in one process, delivering asynchronously like a real IPC channel and
 * copying each message through JSON as Node's channel does. `close()` disconnects both sides.
 */
export function endpointPair(): { parent: IpcEndpoint; child: IpcEndpoint; close(): void } {
  const toParent = new EventEmitter();
  const toChild = new EventEmitter();
  const closed = new EventEmitter();
  let open = true;
  const side = (inbox: EventEmitter, outbox: EventEmitter): IpcEndpoint => ({
    send: (message) => {
      if (!open) return;
      const copy = JSON.parse(JSON.stringify(message)) as unknown;
      setImmediate(() => open && outbox.emit('message', copy));
    },
    onMessage: (listener) => {
      inbox.on('message', listener);
      return () => inbox.off('message', listener);
    },
    onClose: (listener) => closed.once('close', listener),
  });
  return {
    parent: side(toParent, toChild),
    child: side(toChild, toParent),
    close: () => {
      open = false;
      closed.emit('close');
    },
  };
}
