// Reference: the least a Node proxy can do, a node:http server piping each request to an undici Pool
// (keep-alive, the transport the gateway's http-client uses) and the answer back, with no routing, no
// filters, no resilience: what the gateway's own work is measured against.
// Usage: node servers/undici-pipe.mjs <port> <upstream-port>
import { createServer } from 'node:http';
import { Pool } from 'undici';

const [port, upstreamPort] = process.argv.slice(2).map(Number);
if (!port || !upstreamPort) throw new TypeError('undici-pipe: usage: undici-pipe.mjs <port> <upstream-port>');

const pool = new Pool(`http://127.0.0.1:${upstreamPort}`, { connections: 128 });
const server = createServer((req, res) => {
  pool.request({ method: req.method, path: req.url, headers: { accept: req.headers.accept ?? '*/*' }, body: req.method === 'GET' || req.method === 'HEAD' ? null : req }).then(
    ({ statusCode, headers, body }) => {
      res.writeHead(statusCode, { 'content-type': headers['content-type'], 'content-length': headers['content-length'] });
      body.pipe(res);
    },
    () => res.writeHead(502).end(),
  );
});
server.listen(port, '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
