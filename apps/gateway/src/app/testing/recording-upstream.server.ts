import { createServer, type Server } from 'node:http';
import { listenOnLoopback, type SeenRequest } from './fake-identity.server';

/** A loopback service that answers every request with 200 JSON naming itself, recording what it saw. */
export class RecordingUpstream {
  readonly seen: SeenRequest[] = [];
  address = '';
  private readonly server: Server;

  private constructor(readonly name: string) {
    this.server = createServer((request, response) => {
      // The gateway's API docs fetch every routed service's document now and then: not a proxied request.
      if (request.url === '/openapi.json') return void response.writeHead(404).end();
      this.seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
      request.resume();
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ served: name, path: request.url }));
    });
  }

  static async start(name: string): Promise<RecordingUpstream> {
    const sut = new RecordingUpstream(name);
    sut.address = await listenOnLoopback(sut.server);
    return sut;
  }

  close(): void {
    this.server.closeAllConnections();
    this.server.close();
  }
}
