#!/usr/bin/env bash
# dnsmasq (DNS only) on 127.0.0.1:${NESTKIT_DNSMASQ_PORT:-15353}, config and log in
# $NESTKIT_INFRA_DIR/dnsmasq. Serves the SRV/A records of dnsmasq.conf there, for trying the
# discovery DNS backend by hand. The integration tests only need `install`: each test starts its
# own dnsmasq on a free port (libs/platform/discovery/src/lib/dns/dnsmasq.fixture.ts).
# Usage: dnsmasq.sh up|down|status|install
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

NESTKIT_DNSMASQ_PORT="${NESTKIT_DNSMASQ_PORT:-15353}"
DNSMASQ_DIR="$NESTKIT_INFRA_DIR/dnsmasq"
DNSMASQ_PIDFILE="$DNSMASQ_DIR/dnsmasq.pid"
DNSMASQ_LOG="$DNSMASQ_DIR/dnsmasq.log"
DNSMASQ_CONF="$DNSMASQ_DIR/dnsmasq.conf"

dnsmasq_install() {
	# dnsmasq-base is the bare binary: no system service, no /etc/dnsmasq.conf.
	command -v dnsmasq >/dev/null 2>&1 || apt_install dnsmasq-base
}

# dnsmasq answers DNS over TCP on the same port as UDP; an open TCP port on
# our address means it has bound its sockets and read its config.
dnsmasq_healthy() {
	port_open "$NESTKIT_DNSMASQ_PORT"
}

dnsmasq_write_default_conf() {
	[[ -f $DNSMASQ_CONF ]] && return 0
	cat >"$DNSMASQ_CONF" <<-'EOF'
		# Records served by scripts/infra/dnsmasq.sh (restart it after editing: a SIGHUP
		# does not re-read srv-host/host-record lines). Examples:
		#   srv-host=_http._tcp.catalog.default.svc.cluster.local,catalog-0.catalog.default.svc.cluster.local,4002
		#   host-record=catalog-0.catalog.default.svc.cluster.local,127.0.0.1
		# Names under cluster.local that are not listed get NXDOMAIN instead of REFUSED.
		local=/cluster.local/
	EOF
}

dnsmasq_up() {
	lock_service "$DNSMASQ_DIR"
	if pid_alive "$DNSMASQ_PIDFILE"; then
		if wait_for dnsmasq 30 "$DNSMASQ_PIDFILE" dnsmasq_healthy; then
			log "dnsmasq already running (pid $(pidfile_pid "$DNSMASQ_PIDFILE")) on 127.0.0.1:$NESTKIT_DNSMASQ_PORT"
			return 0
		fi
		die "dnsmasq: pid $(pidfile_pid "$DNSMASQ_PIDFILE") is running but not listening; run '$0 down' and retry"
	fi
	dnsmasq_install
	require_port_free dnsmasq "$NESTKIT_DNSMASQ_PORT" NESTKIT_DNSMASQ_PORT
	dnsmasq_write_default_conf
	local start
	start=$(now_ms)
	log "starting dnsmasq on 127.0.0.1:$NESTKIT_DNSMASQ_PORT ..."
	# --keep-in-foreground so the recorded pid is dnsmasq itself; --pid-file=
	# (empty) so it does not write /run/dnsmasq.pid; no upstream, no /etc/hosts.
	start_bg "$DNSMASQ_PIDFILE" "$DNSMASQ_CONF" "$DNSMASQ_LOG" \
		dnsmasq --keep-in-foreground --log-facility=- --pid-file= \
		--conf-file="$DNSMASQ_CONF" --port="$NESTKIT_DNSMASQ_PORT" \
		--listen-address=127.0.0.1 --bind-interfaces --no-resolv --no-hosts
	if ! wait_for dnsmasq "$NESTKIT_INFRA_TIMEOUT" "$DNSMASQ_PIDFILE" dnsmasq_healthy; then
		show_log_tail "$DNSMASQ_LOG"
		exit 1
	fi
	log "dnsmasq ready ($(elapsed_since "$start")s)"
}

dnsmasq_down() {
	lock_service "$DNSMASQ_DIR"
	stop_pid dnsmasq "$DNSMASQ_PIDFILE" TERM
}

dnsmasq_status() {
	if pid_alive "$DNSMASQ_PIDFILE"; then
		if dnsmasq_healthy; then
			log "dnsmasq running (pid $(pidfile_pid "$DNSMASQ_PIDFILE")) on 127.0.0.1:$NESTKIT_DNSMASQ_PORT"
			return 0
		fi
		log "dnsmasq running (pid $(pidfile_pid "$DNSMASQ_PIDFILE")) but not listening on 127.0.0.1:$NESTKIT_DNSMASQ_PORT"
		return 1
	fi
	log "dnsmasq stopped"
	return 3
}

service_main dnsmasq "$@"
