// Where the tests find RabbitMQ, Kafka, Redis, PostgreSQL, etcd, Zipkin and Prometheus: the environment
// when set (e.g. pointing at `docker compose up -d`), else the loopback ports scripts/infra/ uses.
import { connect } from 'node:net';

export const INFRA_DEFAULTS = {
  RABBITMQ_URL: 'amqp://nestkit:nestkit@127.0.0.1:15673',
  KAFKA_BROKERS: '127.0.0.1:19092',
  REDIS_URL: 'redis://127.0.0.1:16379',
  POSTGRES_URL: 'postgres://nestkit:nestkit@127.0.0.1:15432/nestkit',
  ETCD_URL: 'http://127.0.0.1:12379',
  ZIPKIN_URL: 'http://127.0.0.1:19411',
  PROMETHEUS_URL: 'http://127.0.0.1:19090',
};

const SERVICE_OF = {
  RABBITMQ_URL: 'rabbitmq',
  KAFKA_BROKERS: 'kafka',
  REDIS_URL: 'redis',
  POSTGRES_URL: 'postgres',
  ETCD_URL: 'etcd',
  ZIPKIN_URL: 'zipkin',
  PROMETHEUS_URL: 'prometheus',
};

export function infraEnv(env) {
  return Object.fromEntries(Object.entries(INFRA_DEFAULTS).map(([key, value]) => [key, env[key] || value]));
}

function hostPort(key, value) {
  if (key === 'KAFKA_BROKERS') {
    const [host, port] = value.split(',')[0].split(':');
    return { host, port: Number(port) };
  }
  const url = new URL(value);
  return { host: url.hostname, port: Number(url.port) };
}

function reachable({ host, port }, timeoutMs = 1_000) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Names (as scripts/infra/ knows them) of the services whose port does not accept a connection. */
export async function unreachable(infra) {
  const checks = await Promise.all(
    Object.entries(infra).map(async ([key, value]) => ((await reachable(hostPort(key, value))) ? undefined : SERVICE_OF[key])),
  );
  return checks.filter(Boolean);
}
