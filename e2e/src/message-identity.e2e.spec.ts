import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { infraUrls, uniqueName, waitFor } from '@nestkit/testing';
import { connect } from 'amqplib';
import { createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { Kafka, logLevel } from 'kafkajs';
import { call } from './http';
import { PlatformProcess } from './platform-process';

const NAMESPACE = uniqueName('e2e-identity').toLowerCase();
const ENV = {
  BUS: 'rabbitmq',
  RABBITMQ_URL: infraUrls().rabbitmqUrl,
  STREAM: 'kafka',
  KAFKA_BROKERS: infraUrls().kafkaBrokers.join(','),
  // Its own exchange, queues and topics on the shared brokers.
  MESSAGING_NAMESPACE: NAMESPACE,
};
const DLQ_CLI = resolve(__dirname, '../../dist/scripts/dlq/dlq.js');

/** A message envelope as the services put it on the wire (JSON), built by hand as an attacker with broker access would. */
function forged(type: string, payload: Record<string, unknown>, identity?: { token: string }) {
  const id = randomUUID();
  return { id, type, version: 1, occurredAt: new Date().toISOString(), correlationId: id, producer: 'orders', key: String(payload['orderId']), payload, ...(identity ? { identity } : {}) };
}

/** A service token for the messaging audience that says "orders", signed with a key identity never published. */
async function selfSignedOrdersToken(): Promise<string> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA');
  const kid = (await exportJWK(publicKey)).x as string;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ kind: 'service', client_id: 'orders', roles: [] })
    .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'service+jwt' })
    .setIssuer('nestkit-identity')
    .setAudience('nestkit-messaging')
    .setSubject('orders')
    .setJti(randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + 300)
    .sign(privateKey);
}

/**
 * Issue 6's message half, on real RabbitMQ and Kafka: every message the services send carries a signed
 * identity (read off the wire and verified against identity's JWKS), and messages forged by someone with
 * broker access, unsigned or signed with a key of their own, are dead-lettered and change nothing.
 */
describe('message identity (npm start, BUS=rabbitmq, STREAM=kafka)', () => {
  let platform: PlatformProcess;
  let api: string;
  let token: string;
  let userId: string;
  const kafka = new Kafka({ clientId: 'e2e-message-identity', brokers: infraUrls().kafkaBrokers, logLevel: logLevel.NOTHING });

  const stock = async () => (await call(`${api}/catalog/products/p-mouse`)).body.stock as number;
  const notifications = async () => (await call(`${api}/notifications`, { token })).body as { orderId: string; kind: string }[];
  const deadLetters = async (backend: 'rabbitmq' | 'kafka', group: string): Promise<string> => {
    const { stdout } = await promisify(execFile)(process.execPath, [DLQ_CLI, 'list', group, '--backend', backend, '--namespace', NAMESPACE], {
      env: { ...process.env, ...ENV },
      timeout: 30_000,
    });
    return stdout;
  };

  beforeAll(async () => {
    platform = await PlatformProcess.start(ENV);
    api = `${platform.url}/api`;
    const email = `mallory-target-${randomUUID()}@example.com`;
    const password = `pw-${randomUUID()}`;
    userId = (await call(`${api}/identity/register`, { json: { email, password } })).body.id;
    token = (await call(`${api}/identity/login`, { json: { email, password } })).body.accessToken;
  });

  afterAll(async () => {
    const code = await platform?.stop();
    expect(code).toBe(0);
  });

  async function confirmedOrder(): Promise<string> {
    const placed = await call(`${api}/orders`, { token, json: { items: [{ productId: 'p-mouse', quantity: 1 }] } });
    expect(placed.status).toBe(202);
    const status = await waitFor(
      async () => {
        const order = await call(`${api}/orders/${placed.body.id}`, { token });
        return order.body.status !== 'PENDING' ? order.body.status : undefined;
      },
      { what: `order ${placed.body.id} to settle`, timeoutMs: 20_000, intervalMs: 100 },
    );
    expect(status).toBe('CONFIRMED');
    return placed.body.id;
  }

  it('signs every event on the stream: catalog’s as catalog, orders’ as orders, order-placed for the user', async () => {
    const orderId = await confirmedOrder();
    const topics = ['orders.order-placed', 'catalog.stock-reserved', 'orders.order-confirmed'].map((type) => `${NAMESPACE}.${type}`);
    // The confirm is committed in orders before the outbox relay has sent order-confirmed to Kafka.
    const admin = kafka.admin();
    await admin.connect();
    try {
      await waitFor(async () => ((await admin.listTopics()).filter((t) => topics.includes(t)).length === topics.length) || undefined, { what: `topics ${topics.join(', ')}`, timeoutMs: 20_000 });
    } finally {
      await admin.disconnect();
    }
    const consumer = kafka.consumer({ groupId: uniqueName('e2e-wire-reader') });
    const seen = new Map<string, { producer: string; identity?: { token: string } }>();
    await consumer.connect();
    try {
      await consumer.subscribe({ topics, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          const envelope = JSON.parse(String(message.value)) as { type: string; producer: string; identity?: { token: string }; payload: { orderId?: string } };
          if (envelope.payload.orderId === orderId) seen.set(envelope.type, envelope);
        },
      });
      await waitFor(() => seen.size === 3 || undefined, { what: `the three events of order ${orderId} on Kafka`, timeoutMs: 30_000 });
    } finally {
      await consumer.disconnect();
    }

    const keys = createRemoteJWKSet(new URL(`${api}/identity/.well-known/jwks.json`));
    const claims = async (type: string) => {
      const envelope = seen.get(type);
      expect(envelope?.identity?.token, `${type} carries an identity`).toEqual(expect.any(String));
      const { payload, protectedHeader } = await jwtVerify(envelope?.identity?.token as string, keys, { issuer: 'nestkit-identity', audience: 'nestkit-messaging' });
      expect(protectedHeader.typ).toBe('service+jwt');
      return { producer: envelope?.producer, sub: payload.sub, actor: (payload['act'] as { sub?: string } | undefined)?.sub };
    };
    expect(await claims('orders.order-placed')).toEqual({ producer: 'orders', sub: userId, actor: 'orders' });
    expect(await claims('catalog.stock-reserved')).toEqual({ producer: 'catalog', sub: 'catalog', actor: undefined });
    expect(await claims('orders.order-confirmed')).toEqual({ producer: 'orders', sub: 'orders', actor: undefined });
  });

  it('dead-letters order-cancelled forged on RabbitMQ, unsigned or self-signed, and gives no stock back', async () => {
    const orderId = await confirmedOrder();
    const before = await stock();
    const unsigned = forged('orders.order-cancelled', { orderId, userId, reason: 'forged' });
    const selfSigned = forged('orders.order-cancelled', { orderId, userId, reason: 'forged' }, { token: await selfSignedOrdersToken() });

    const connection = await connect(infraUrls().rabbitmqUrl);
    try {
      const channel = await connection.createConfirmChannel();
      for (const envelope of [unsigned, selfSigned]) {
        channel.publish(`${NAMESPACE}.nestkit.events`, envelope.type, Buffer.from(JSON.stringify(envelope)), { persistent: true, contentType: 'application/json', messageId: envelope.id });
      }
      await channel.waitForConfirms();
    } finally {
      await connection.close();
    }

    const listed = await waitFor(
      async () => {
        const out = await deadLetters('rabbitmq', 'catalog.stock-release');
        return out.includes(unsigned.id) && out.includes(selfSigned.id) ? out : undefined;
      },
      { what: 'both forged cancels in catalog.stock-release’s dead-letter queue', timeoutMs: 20_000, intervalMs: 500 },
    );
    const line = (id: string) => listed.split('\n').find((l) => l.startsWith(id)) ?? '';
    expect(line(unsigned.id)).toMatch(/\tinvalid-payload\tdeliveries=1\t.*refused: message carries no identity/);
    expect(line(selfSigned.id)).toMatch(/\tinvalid-payload\tdeliveries=1\t.*refused: message identity: no matching signing key/);
    expect(await stock()).toBe(before);
    expect((await call(`${api}/orders/${orderId}`, { token })).body.status).toBe('CONFIRMED');
  });

  it('dead-letters an order event forged on Kafka and shows the user no notification for it', async () => {
    const orderId = `forged-${randomUUID()}`;
    const envelope = forged('orders.order-confirmed', { orderId, userId });
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    try {
      await producer.send({ topic: `${NAMESPACE}.orders.order-confirmed`, acks: -1, messages: [{ key: orderId, value: JSON.stringify(envelope) }] });
    } finally {
      await producer.disconnect();
    }

    const listed = await waitFor(
      async () => {
        const out = await deadLetters('kafka', 'notifications.order-events');
        return out.includes(envelope.id) ? out : undefined;
      },
      { what: 'the forged event in notifications’ dead-letter topic', timeoutMs: 30_000, intervalMs: 1_000 },
    );
    expect(listed).toMatch(new RegExp(`${envelope.id}\\torders.order-confirmed\\tinvalid-payload\\tdeliveries=1\\t.*refused: message carries no identity`));
    expect((await notifications()).filter((n) => n.orderId === orderId)).toEqual([]);
  });
});
