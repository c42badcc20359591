// The upstream every proxy forwards to: node:http answering any request with the same small JSON
// body, keep-alive on (long timeouts so nginx's and undici's pooled connections are never reset mid-run).
// Usage: node servers/upstream.mjs <port>
import { createServer } from 'node:http';
import { BODY } from './body.mjs';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) throw new TypeError(`upstream: expected a port as first argument, got ${process.argv[2]}`);

const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': String(BODY.length) };
const server = createServer({ keepAliveTimeout: 120_000, headersTimeout: 130_000 }, (request, response) => {
  // Drain any request body so the connection stays reusable.
  request.resume();
  response.writeHead(200, headers);
  response.end(BODY);
});
server.listen(port, '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
