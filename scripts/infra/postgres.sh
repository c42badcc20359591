#!/usr/bin/env bash
# PostgreSQL on 127.0.0.1:${NESTKIT_POSTGRES_PORT:-15432}, its own cluster in
# $NESTKIT_INFRA_DIR/postgres; role nestkit/nestkit (CREATEDB) owns database nestkit.
# Usage: postgres.sh up|down|status|install
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PG_STATE_DIR="$NESTKIT_INFRA_DIR/postgres" # our pidfile + lock (owned by the caller)
PG_PIDFILE="$PG_STATE_DIR/postgres.pid"
PG_PORT="$NESTKIT_POSTGRES_PORT"
PG_USER=nestkit PG_PASSWORD=nestkit PG_DB=nestkit

postgres_install() {
	install_service_packages postgres # postgresql (server + client) unless present
}

# Newest installed server binaries, e.g. /usr/lib/postgresql/15/bin.
pg_bindir() {
	local d
	d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	[[ -n $d && -x $d/initdb ]] || die "postgres: no server binaries under /usr/lib/postgresql (apt-get install postgresql)"
	printf '%s' "$d"
}

# PostgreSQL refuses to run as root, so as root we run it as the `postgres`
# OS user (created by the Debian package) and chown its folder to it.
pg_run_as() {
	if [[ $(id -u) == 0 ]]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# Where the cluster lives. Normally $NESTKIT_INFRA_DIR/postgres/cluster; but
# as root, if the `postgres` user cannot reach that folder (repo under /root,
# mode 700), use a folder under /var/tmp keyed by the infra dir instead.
pg_home() {
	local home="$PG_STATE_DIR/cluster"
	if [[ $(id -u) == 0 ]]; then
		mkdir -p "$home"
		chown postgres:postgres "$home"
		if ! runuser -u postgres -- test -w "$home" 2>/dev/null; then
			home="/var/tmp/nestkit-infra-$(printf '%s' "$NESTKIT_INFRA_DIR" | md5sum | cut -c1-12)/postgres"
			rmdir "$PG_STATE_DIR/cluster" 2>/dev/null || true
			printf 'infra: note: the postgres OS user cannot reach %s; cluster kept in %s instead\n' \
				"$PG_STATE_DIR" "$home" >&2
			mkdir -p "$home"
			chmod 755 "$(dirname "$home")"
			chown postgres:postgres "$home"
		fi
	else
		mkdir -p "$home"
	fi
	printf '%s' "$home"
}

postgres_healthy() {
	"$(pg_bindir)/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2
}

# psql as the cluster superuser over the Unix socket (trust auth, local only).
pg_admin_psql() {
	pg_run_as "$(pg_bindir)/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_HOME/run" -p "$PG_PORT" -U postgres -d postgres
}

postgres_up() {
	lock_service "$PG_STATE_DIR"
	if pid_alive "$PG_PIDFILE"; then
		if wait_for postgres 30 "$PG_PIDFILE" postgres_healthy; then
			log "postgres already running (pid $(pidfile_pid "$PG_PIDFILE")) on 127.0.0.1:$PG_PORT"
			return 0
		fi
		die "postgres: pid $(pidfile_pid "$PG_PIDFILE") is running but not accepting connections; run '$0 down' and retry"
	fi
	postgres_install
	require_port_free postgres "$PG_PORT" NESTKIT_POSTGRES_PORT
	local bin start
	bin=$(pg_bindir)
	PG_HOME=$(pg_home)
	start=$(now_ms)
	log "starting postgres on 127.0.0.1:$PG_PORT ..."

	if [[ ! -f $PG_HOME/data/PG_VERSION ]]; then
		rm -rf "$PG_HOME/data"
		# trust on the Unix socket (in our own folder, for this script's admin
		# work); passwords (scram) over TCP, like a real server.
		pg_run_as "$bin/initdb" -D "$PG_HOME/data" -U postgres -E UTF8 --locale=C.UTF-8 \
			--auth-local=trust --auth-host=scram-sha-256 >"$PG_HOME/initdb.log" 2>&1 ||
			{
				show_log_tail "$PG_HOME/initdb.log"
				die "postgres: initdb failed"
			}
		# Test database: durability is not worth the fsyncs.
		cat >>"$PG_HOME/data/postgresql.conf" <<-EOF

			# --- nestkit infra (scripts/infra/postgres.sh) ---
			fsync = off
			synchronous_commit = off
			full_page_writes = off
			max_connections = 200
		EOF
	fi
	pg_run_as mkdir -p "$PG_HOME/run"

	# Port, address and socket dir are passed on each start, so changing
	# NESTKIT_POSTGRES_PORT works on an existing cluster too.
	if ! pg_run_as "$bin/pg_ctl" -D "$PG_HOME/data" -l "$PG_HOME/postgres.log" -w -t "$NESTKIT_INFRA_TIMEOUT" \
		-o "-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories='$PG_HOME/run'" \
		start >/dev/null 9>&-; then
		show_log_tail "$PG_HOME/postgres.log"
		die "postgres: pg_ctl start failed"
	fi
	# pg_ctl daemonises; the postmaster's pid is the first line of postmaster.pid.
	write_pidfile "$PG_PIDFILE" "$(head -n 1 "$PG_HOME/data/postmaster.pid")" "$PG_HOME/data"

	if ! wait_for postgres "$NESTKIT_INFRA_TIMEOUT" "$PG_PIDFILE" postgres_healthy; then
		show_log_tail "$PG_HOME/postgres.log"
		exit 1
	fi
	# Idempotent: role with CREATEDB (tests create throw-away databases) and its database.
	pg_admin_psql <<-EOF
		DO \$\$ BEGIN
		  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_USER') THEN
		    CREATE ROLE $PG_USER LOGIN CREATEDB PASSWORD '$PG_PASSWORD';
		  END IF;
		END \$\$;
		SELECT 'CREATE DATABASE $PG_DB OWNER $PG_USER' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$PG_DB')\gexec
	EOF
	log "postgres ready ($(elapsed_since "$start")s)"
}

postgres_down() {
	lock_service "$PG_STATE_DIR"
	# SIGINT = "fast" shutdown: disconnects clients (SIGTERM would wait for
	# every open test connection to close).
	stop_pid postgres "$PG_PIDFILE" INT
}

postgres_status() {
	if pid_alive "$PG_PIDFILE"; then
		if postgres_healthy; then
			log "postgres running (pid $(pidfile_pid "$PG_PIDFILE")) on 127.0.0.1:$PG_PORT"
			return 0
		fi
		log "postgres running (pid $(pidfile_pid "$PG_PIDFILE")) but not accepting connections on 127.0.0.1:$PG_PORT"
		return 1
	fi
	log "postgres stopped"
	return 3
}

service_main postgres "$@"
