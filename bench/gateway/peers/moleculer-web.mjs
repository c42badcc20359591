// Peer: moleculer-web as the HTTP edge, calling an action on a second node over moleculer's TCP
// transporter (static addresses, no UDP discovery). The service node answers with the same JSON body as
// the upstream: in moleculer the service node is the upstream, the transporter hop is the proxy hop.
// Lives in peers/ so its imports resolve from peers/node_modules.
// Usage: node peers/moleculer-web.mjs api <http-port> <own-tcp-port> <service-tcp-port>
//        node peers/moleculer-web.mjs service <own-tcp-port> <api-tcp-port>
import moleculer from 'moleculer';
import ApiGateway from 'moleculer-web';
import { ITEM } from '../servers/body.mjs';

const { ServiceBroker } = moleculer;
const [role, ...ports] = process.argv.slice(2);
const numbers = ports.map(Number);
if (numbers.some((n) => !Number.isInteger(n) || n <= 0)) throw new TypeError(`moleculer-web: bad ports ${ports.join(' ')}`);

/** A broker on the TCP transporter that knows its one peer by address. */
function broker(nodeID, tcpPort, peerTcpPort, peerID) {
  return new ServiceBroker({
    nodeID,
    namespace: process.env['BENCH_NAMESPACE'] ?? 'bench',
    logger: false,
    transporter: {
      type: 'TCP',
      options: { udpDiscovery: false, port: tcpPort, urls: [`127.0.0.1:${peerTcpPort}/${peerID}`], useHostname: false },
    },
  });
}

let node;
if (role === 'api') {
  const [httpPort, tcpPort, serviceTcpPort] = numbers;
  node = broker('api', tcpPort, serviceTcpPort, 'service');
  node.createService({
    name: 'api',
    mixins: [ApiGateway],
    settings: { ip: '127.0.0.1', port: httpPort, routes: [{ path: '/api', mappingPolicy: 'restrict', aliases: { 'GET bench': 'bench.get' } }] },
  });
} else if (role === 'service') {
  const [tcpPort, apiTcpPort] = numbers;
  node = broker('service', tcpPort, apiTcpPort, 'api');
  node.createService({ name: 'bench', actions: { get: () => ITEM } });
} else {
  throw new TypeError(`moleculer-web: role must be "api" or "service", got ${role}`);
}
await node.start();
process.once('SIGTERM', () => void node.stop().then(() => process.exit(0)));
