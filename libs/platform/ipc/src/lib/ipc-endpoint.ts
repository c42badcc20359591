import type { ChildProcess } from 'node:child_process';

/** One end of a message channel between two processes (Node's IPC channel) or two objects (tests). */
export interface IpcEndpoint {
  send(message: unknown): void;
  /** Subscribes to incoming messages; returns the unsubscribe function. */
  onMessage(listener: (message: unknown) => void): () => void;
  /** Calls `listener` once when the other side goes away (process exit, channel closed). */
  onClose(listener: () => void): void;
}

/** This process's channel to the parent that forked it with an IPC channel, if there is one. */
export function parentEndpoint(): IpcEndpoint | undefined {
  if (typeof process.send !== 'function') return undefined;
  return {
    send: (message) => {
      if (process.connected) process.send?.(message);
    },
    onMessage: (listener) => {
      process.on('message', listener);
      return () => process.off('message', listener);
    },
    onClose: (listener) => process.once('disconnect', listener),
  };
}

/** The parent's channel to a child forked with `stdio` including `'ipc'`. */
export function childEndpoint(child: ChildProcess): IpcEndpoint {
  return {
    send: (message) => {
      if (child.connected) child.send(message as never);
    },
    onMessage: (listener) => {
      child.on('message', listener);
      return () => child.off('message', listener);
    },
    onClose: (listener) => {
      let closed = false;
      const once = () => {
        if (closed) return;
        closed = true;
        listener();
      };
      child.once('exit', once);
      child.once('disconnect', once);
    },
  };
}

/** Set by `npm start`'s launcher in each service process it forks: the embedded hub lives in the parent. */
export const EMBEDDED_HUB_ENV = 'NESTKIT_EMBEDDED_HUB';

/**
 * The channel to `npm start`'s launcher when this process is one of its services (forked with an IPC
 * channel and {@link EMBEDDED_HUB_ENV}=ipc); undefined otherwise, e.g. in a container or a test.
 */
export function launcherEndpoint(env: NodeJS.ProcessEnv = process.env): IpcEndpoint | undefined {
  return env[EMBEDDED_HUB_ENV] === 'ipc' ? parentEndpoint() : undefined;
}
