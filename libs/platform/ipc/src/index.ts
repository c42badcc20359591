export { childEndpoint, EMBEDDED_HUB_ENV, type IpcEndpoint, launcherEndpoint, parentEndpoint } from './lib/ipc-endpoint';
export { IpcError, IpcPeer } from './lib/ipc.peer';
