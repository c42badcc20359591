/** Where integration tests find the real brokers, databases and observability servers (see scripts/infra/ and `npm test`). */
export interface InfraUrls {
  rabbitmqUrl: string;
  kafkaBrokers: string[];
  redisUrl: string;
  postgresUrl: string;
  etcdUrl: string;
  /** Zipkin's base URL (API `/api/v2/...`, collector `/api/v2/spans`). */
  zipkinUrl: string;
  /** Prometheus's base URL (API `/api/v1/...`). */
  prometheusUrl: string;
}

/**
 * The infrastructure URLs from the environment, with the loopback defaults scripts/infra/ uses.
 * `npm test` starts what is not reachable before the integration tests run.
 */
export function infraUrls(env: NodeJS.ProcessEnv = process.env): InfraUrls {
  return {
    rabbitmqUrl: env['RABBITMQ_URL'] || 'amqp://nestkit:nestkit@127.0.0.1:15673',
    kafkaBrokers: (env['KAFKA_BROKERS'] || '127.0.0.1:19092').split(',').map((b) => b.trim()),
    redisUrl: env['REDIS_URL'] || 'redis://127.0.0.1:16379',
    postgresUrl: env['POSTGRES_URL'] || 'postgres://nestkit:nestkit@127.0.0.1:15432/nestkit',
    etcdUrl: env['ETCD_URL'] || 'http://127.0.0.1:12379',
    zipkinUrl: (env['ZIPKIN_URL'] || 'http://127.0.0.1:19411').replace(/\/+$/, ''),
    prometheusUrl: (env['PROMETHEUS_URL'] || 'http://127.0.0.1:19090').replace(/\/+$/, ''),
  };
}
