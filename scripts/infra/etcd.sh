#!/usr/bin/env bash
# etcd (single member) on 127.0.0.1:${NESTKIT_ETCD_PORT:-12379} (client) and
# :${NESTKIT_ETCD_PEER_PORT:-12380} (peer), data in $NESTKIT_INFRA_DIR/etcd.
# Usage: etcd.sh up|down|status|install
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ETCD_DIR="$NESTKIT_INFRA_DIR/etcd"
ETCD_PIDFILE="$ETCD_DIR/etcd.pid"
ETCD_LOG="$ETCD_DIR/etcd.log"
ETCD_CLIENT_URL="http://127.0.0.1:$NESTKIT_ETCD_PORT"
ETCD_PEER_URL="http://127.0.0.1:$NESTKIT_ETCD_PEER_PORT"

etcd_install() {
	install_service_packages etcd # etcd-server, etcd-client (etcdctl), curl
}

# /health answers {"health":"true"} once the member has a leader and serves
# requests; cheaper than spawning etcdctl on every poll.
etcd_healthy() {
	curl -fsS --max-time 2 "$ETCD_CLIENT_URL/health" 2>/dev/null | grep -q '"health":"true"'
}

etcd_up() {
	lock_service "$ETCD_DIR"
	if pid_alive "$ETCD_PIDFILE"; then
		if wait_for etcd 30 "$ETCD_PIDFILE" etcd_healthy; then
			log "etcd already running (pid $(pidfile_pid "$ETCD_PIDFILE")) on 127.0.0.1:$NESTKIT_ETCD_PORT"
			return 0
		fi
		die "etcd: pid $(pidfile_pid "$ETCD_PIDFILE") is running but not healthy; run '$0 down' and retry"
	fi
	etcd_install
	require_port_free etcd "$NESTKIT_ETCD_PORT" NESTKIT_ETCD_PORT
	require_port_free etcd "$NESTKIT_ETCD_PEER_PORT" NESTKIT_ETCD_PEER_PORT
	mkdir -p "$ETCD_DIR/data"
	chmod 700 "$ETCD_DIR/data" # etcd warns (and 3.5+ refuses) otherwise
	local start
	start=$(now_ms)
	log "starting etcd on 127.0.0.1:$NESTKIT_ETCD_PORT ..."
	# `env -u`: etcd reads every ETCD_* variable as a flag and complains about
	# unknown ones, like the ETCD_URL our env.sh exports.
	start_bg "$ETCD_PIDFILE" "$ETCD_DIR/data" "$ETCD_LOG" \
		env -u ETCD_URL etcd \
		--name nestkit \
		--data-dir "$ETCD_DIR/data" \
		--listen-client-urls "$ETCD_CLIENT_URL" \
		--advertise-client-urls "$ETCD_CLIENT_URL" \
		--listen-peer-urls "$ETCD_PEER_URL" \
		--initial-advertise-peer-urls "$ETCD_PEER_URL" \
		--initial-cluster "nestkit=$ETCD_PEER_URL" \
		--initial-cluster-state new \
		--initial-cluster-token nestkit-infra \
		--logger zap --log-outputs stderr
	if ! wait_for etcd "$NESTKIT_INFRA_TIMEOUT" "$ETCD_PIDFILE" etcd_healthy; then
		show_log_tail "$ETCD_LOG"
		exit 1
	fi
	log "etcd ready ($(elapsed_since "$start")s)"
}

etcd_down() {
	lock_service "$ETCD_DIR"
	stop_pid etcd "$ETCD_PIDFILE" TERM
}

etcd_status() {
	if pid_alive "$ETCD_PIDFILE"; then
		if etcd_healthy; then
			log "etcd running (pid $(pidfile_pid "$ETCD_PIDFILE")) on 127.0.0.1:$NESTKIT_ETCD_PORT"
			return 0
		fi
		log "etcd running (pid $(pidfile_pid "$ETCD_PIDFILE")) but not healthy on 127.0.0.1:$NESTKIT_ETCD_PORT"
		return 1
	fi
	log "etcd stopped"
	return 3
}

service_main etcd "$@"
