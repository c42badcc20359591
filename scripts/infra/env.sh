#!/usr/bin/env bash
# Print `export` lines with the connection URLs of the local test servers:
#   eval "$(scripts/infra/env.sh)"
# A URL already set in the environment wins (that is how you point the tests at
# a server of your own); otherwise it is built from the NESTKIT_*_PORT values.
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

emit() { printf 'export %s=%q\n' "$1" "$2"; }

emit RABBITMQ_URL "${RABBITMQ_URL:-amqp://nestkit:nestkit@127.0.0.1:$NESTKIT_RABBITMQ_PORT}"
emit KAFKA_BROKERS "${KAFKA_BROKERS:-127.0.0.1:$NESTKIT_KAFKA_PORT}"
emit REDIS_URL "${REDIS_URL:-redis://127.0.0.1:$NESTKIT_REDIS_PORT}"
emit POSTGRES_URL "${POSTGRES_URL:-postgres://nestkit:nestkit@127.0.0.1:$NESTKIT_POSTGRES_PORT/nestkit}"
emit ETCD_URL "${ETCD_URL:-http://127.0.0.1:$NESTKIT_ETCD_PORT}"
emit ZIPKIN_URL "${ZIPKIN_URL:-http://127.0.0.1:$NESTKIT_ZIPKIN_PORT}"
emit PROMETHEUS_URL "${PROMETHEUS_URL:-http://127.0.0.1:$NESTKIT_PROMETHEUS_PORT}"
