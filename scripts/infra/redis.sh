#!/usr/bin/env bash
# Redis on 127.0.0.1:${NESTKIT_REDIS_PORT:-16379}, data in $NESTKIT_INFRA_DIR/redis.
# Usage: redis.sh up|down|status|install
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

REDIS_DIR="$NESTKIT_INFRA_DIR/redis"
REDIS_PIDFILE="$REDIS_DIR/redis.pid"
REDIS_LOG="$REDIS_DIR/redis.log"
REDIS_PORT="$NESTKIT_REDIS_PORT"

redis_install() {
	install_service_packages redis # redis-server, redis-tools (redis-cli)
}

redis_healthy() {
	[[ $(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]
}

redis_up() {
	lock_service "$REDIS_DIR"
	if pid_alive "$REDIS_PIDFILE"; then
		if wait_for redis 30 "$REDIS_PIDFILE" redis_healthy; then
			log "redis already running (pid $(pidfile_pid "$REDIS_PIDFILE")) on 127.0.0.1:$REDIS_PORT"
			return 0
		fi
		die "redis: pid $(pidfile_pid "$REDIS_PIDFILE") is running but does not answer PING; run '$0 down' and retry"
	fi
	redis_install
	require_port_free redis "$REDIS_PORT" NESTKIT_REDIS_PORT
	mkdir -p "$REDIS_DIR/data"
	local start
	start=$(now_ms)
	log "starting redis on 127.0.0.1:$REDIS_PORT ..."
	# Config on the command line only: /etc/redis/redis.conf (system service)
	# is never read. No persistence: this is test data.
	start_bg "$REDIS_PIDFILE" redis-server "$REDIS_LOG" \
		redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --protected-mode yes \
		--dir "$REDIS_DIR/data" --daemonize no --save '' --appendonly no \
		--logfile '' --databases 16
	if ! wait_for redis "$NESTKIT_INFRA_TIMEOUT" "$REDIS_PIDFILE" redis_healthy; then
		show_log_tail "$REDIS_LOG"
		exit 1
	fi
	log "redis ready ($(elapsed_since "$start")s)"
}

redis_down() {
	lock_service "$REDIS_DIR"
	stop_pid redis "$REDIS_PIDFILE" TERM
}

redis_status() {
	if pid_alive "$REDIS_PIDFILE"; then
		if redis_healthy; then
			log "redis running (pid $(pidfile_pid "$REDIS_PIDFILE")) on 127.0.0.1:$REDIS_PORT"
			return 0
		fi
		log "redis running (pid $(pidfile_pid "$REDIS_PIDFILE")) but not answering on 127.0.0.1:$REDIS_PORT"
		return 1
	fi
	log "redis stopped"
	return 3
}

service_main redis "$@"
