// Peer: a bare Fastify server with @fastify/reply-from (undici pool, its defaults) forwarding every GET
// to the upstream, with none of the gateway's work (auth, rate limit, discovery, breaker).
// Lives in peers/ so its imports resolve from peers/node_modules, not the root's.
// Usage: node peers/reply-from.mjs <port> <upstream-port>
import replyFrom from '@fastify/reply-from';
import Fastify from 'fastify';

const [port, upstreamPort] = process.argv.slice(2).map(Number);
if (!port || !upstreamPort) throw new TypeError('reply-from: usage: reply-from.mjs <port> <upstream-port>');

const app = Fastify({ logger: false });
await app.register(replyFrom, { base: `http://127.0.0.1:${upstreamPort}` });
app.get('/*', (request, reply) => reply.from(request.url));
await app.listen({ host: '127.0.0.1', port });
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
