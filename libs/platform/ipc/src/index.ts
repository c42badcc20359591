export { childEndpoint, type IpcEndpoint, parentEndpoint } from './lib/ipc-endpoint';
export { IpcError, IpcPeer } from './lib/ipc.peer';
