# shellcheck shell=bash
# Sourced helpers for scripts/infra/*.sh — not meant to be executed.
#
# Everything here is about running throw-away test servers on 127.0.0.1 with
# ports and data folders of our own, so they never collide with (or touch) a
# system-wide server on the default ports.

# --- locations ----------------------------------------------------------------

INFRA_SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The repo root is two levels above scripts/infra, whatever the cwd is.
REPO_ROOT="$(cd "$INFRA_SCRIPTS_DIR/../.." && pwd)"

# One sub-folder per service (data, logs, pidfile). Ignored by git via `.infra/`.
NESTKIT_INFRA_DIR="${NESTKIT_INFRA_DIR:-$REPO_ROOT/.infra}"

# --- ports (all on 127.0.0.1) ------------------------------------------------

NESTKIT_POSTGRES_PORT="${NESTKIT_POSTGRES_PORT:-15432}"
NESTKIT_REDIS_PORT="${NESTKIT_REDIS_PORT:-16379}"
NESTKIT_RABBITMQ_PORT="${NESTKIT_RABBITMQ_PORT:-15673}"           # AMQP
NESTKIT_RABBITMQ_DIST_PORT="${NESTKIT_RABBITMQ_DIST_PORT:-15674}" # Erlang distribution
NESTKIT_RABBITMQ_EPMD_PORT="${NESTKIT_RABBITMQ_EPMD_PORT:-14369}" # our own epmd
NESTKIT_RABBITMQ_MANAGEMENT_PORT="${NESTKIT_RABBITMQ_MANAGEMENT_PORT:-}" # empty = plugin off
NESTKIT_ETCD_PORT="${NESTKIT_ETCD_PORT:-12379}"
NESTKIT_ETCD_PEER_PORT="${NESTKIT_ETCD_PEER_PORT:-12380}"
NESTKIT_KAFKA_PORT="${NESTKIT_KAFKA_PORT:-19092}"
NESTKIT_KAFKA_CONTROLLER_PORT="${NESTKIT_KAFKA_CONTROLLER_PORT:-19093}"
NESTKIT_ZIPKIN_PORT="${NESTKIT_ZIPKIN_PORT:-19411}"         # Zipkin API, UI and span collector
NESTKIT_PROMETHEUS_PORT="${NESTKIT_PROMETHEUS_PORT:-19090}" # Prometheus API and UI

# Seconds a service may take to become ready before `up` gives up.
NESTKIT_INFRA_TIMEOUT="${NESTKIT_INFRA_TIMEOUT:-120}"

# Services that up.sh/down.sh must leave alone because you run them yourself
# (docker compose, a shared server...). Space or comma separated.
NESTKIT_INFRA_SKIP="${NESTKIT_INFRA_SKIP:-}"

# shellcheck disable=SC2034 # used by the scripts that source this file
INFRA_ALL_SERVICES=(postgres redis etcd rabbitmq kafka zipkin prometheus)

# --- logging / time ----------------------------------------------------------

log() { printf 'infra: %s\n' "$*"; }
warn() { printf 'infra: WARNING: %s\n' "$*" >&2; }
die() {
	printf 'infra: ERROR: %s\n' "$*" >&2
	exit 1
}

# Milliseconds since the epoch (GNU date).
now_ms() { date +%s%3N; }

# Seconds elapsed since a now_ms value, one decimal: "4.2".
elapsed_since() {
	local start=$1 end
	end=$(now_ms)
	printf '%d.%d' $(((end - start) / 1000)) $((((end - start) % 1000) / 100))
}

# True if the service was listed in NESTKIT_INFRA_SKIP.
is_skipped() {
	local svc=$1
	[[ " ${NESTKIT_INFRA_SKIP//,/ } " == *" $svc "* ]]
}

# --- ports ---------------------------------------------------------------------

# True if something accepts TCP connections on 127.0.0.1:$1.
port_open() {
	timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# Fail early, with a useful message, when a port we want is taken by a
# process that is not ours (a system server, another checkout...).
require_port_free() {
	local svc=$1 port=$2 var=$3
	if port_open "$port"; then
		die "$svc: port 127.0.0.1:$port is already in use by another process. Stop it, or choose another port with $var=<port>."
	fi
}

# --- waiting -------------------------------------------------------------------

# wait_for <label> <timeout-seconds> <pidfile|""> <command...>
# Polls <command> (quietly) until it succeeds. Fails if the timeout passes or,
# when a pidfile is given, as soon as that process has died — no point
# waiting 120 s for a server that crashed on start-up.
wait_for() {
	local label=$1 timeout=$2 pidfile=$3
	shift 3
	local start deadline
	start=$(now_ms)
	deadline=$((start + timeout * 1000))
	while true; do
		if "$@" >/dev/null 2>&1; then
			return 0
		fi
		if [[ -n $pidfile ]] && ! pid_alive "$pidfile"; then
			printf 'infra: ERROR: %s: process exited while waiting for it (after %ss)\n' "$label" "$(elapsed_since "$start")" >&2
			return 1
		fi
		if (($(now_ms) > deadline)); then
			printf 'infra: ERROR: %s: not ready after %ss\n' "$label" "$timeout" >&2
			return 1
		fi
		sleep 0.2
	done
}

# Print the end of a log file to stderr (used when a start fails).
show_log_tail() {
	local file=$1
	if [[ -f $file ]]; then
		printf 'infra: ---- last lines of %s ----\n' "$file" >&2
		tail -n 30 "$file" >&2 || true
		printf 'infra: ----\n' >&2
	fi
}

# --- pidfiles ------------------------------------------------------------------
#
# A pidfile holds two lines: the pid, then a pattern that the process's
# command line must contain. The pattern guards against pid reuse: after a
# reboot or a crash the same pid may belong to an unrelated process, which we
# must never signal.

write_pidfile() {
	local pidfile=$1 pid=$2 pattern=$3
	printf '%s\n%s\n' "$pid" "$pattern" >"$pidfile"
}

pidfile_pid() {
	[[ -f $1 ]] && head -n 1 "$1"
}

# True if the pidfile names a live process whose command line still matches
# the recorded pattern. Removes the pidfile when it is stale.
pid_alive() {
	local pidfile=$1 pid pattern cmdline
	[[ -f $pidfile ]] || return 1
	pid=$(sed -n 1p "$pidfile")
	pattern=$(sed -n 2p "$pidfile")
	if [[ $pid =~ ^[0-9]+$ ]] && [[ -r /proc/$pid/cmdline ]]; then
		cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)
		# A zombie has an empty cmdline: it is dead for our purposes.
		if [[ -n $cmdline && $cmdline == *"$pattern"* ]]; then
			return 0
		fi
	fi
	rm -f "$pidfile"
	return 1
}

# start_bg <pidfile> <pattern> <logfile> <command...>
# Starts a long-running foreground server in the background, in its own
# session (setsid) so that a Ctrl-C on up.sh, or the end of the calling
# shell, does not take it down, and records its pid. fd 9 (our lock) is
# closed so the server does not keep holding the lock.
start_bg() {
	local pidfile=$1 pattern=$2 logfile=$3
	shift 3
	setsid "$@" </dev/null >>"$logfile" 2>&1 9>&- &
	write_pidfile "$pidfile" "$!" "$pattern"
}

# stop_pid <label> <pidfile> [signal] [timeout-seconds]
# Stops exactly the recorded process: <signal> (default TERM), wait up to
# <timeout> s, then SIGKILL its process group (start_bg made it a group
# leader, so children like beam.smp or erl_child_setup go too).
stop_pid() {
	local label=$1 pidfile=$2 sig=${3:-TERM} timeout=${4:-20}
	local pid start
	if ! pid_alive "$pidfile"; then
		log "$label not running"
		rm -f "$pidfile"
		return 0
	fi
	pid=$(pidfile_pid "$pidfile")
	start=$(now_ms)
	log "stopping $label (pid $pid) ..."
	kill "-$sig" "$pid" 2>/dev/null || true
	while kill -0 "$pid" 2>/dev/null; do
		# Reap-less zombie check: a zombie counts as gone.
		[[ $(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) == Z ]] && break
		if (($(now_ms) - start > timeout * 1000)); then
			warn "$label (pid $pid) did not exit after ${timeout}s, sending SIGKILL"
			if [[ $(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ') == "$pid" ]]; then
				kill -KILL -- "-$pid" 2>/dev/null || true
			fi
			kill -KILL "$pid" 2>/dev/null || true
			sleep 0.5
			break
		fi
		sleep 0.2
	done
	rm -f "$pidfile"
	log "$label stopped ($(elapsed_since "$start")s)"
}

# --- per-service lock ----------------------------------------------------------

# Serialise up/down of one service (two `up`s at once must not start two
# servers). Held on fd 9 until the script exits; start_bg closes fd 9 for the
# servers it starts.
lock_service() {
	local dir=$1
	mkdir -p "$dir"
	exec 9>"$dir/.lock"
	if command -v flock >/dev/null 2>&1; then
		flock 9
	fi
}

# --- package installation -----------------------------------------------------

# True if the Debian package is installed.
pkg_installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# How to avoid installing: printed when we cannot install.
external_hint() {
	cat <<-EOF
		       Or use servers you already run (docker compose, ...): export their URLs
		       (RABBITMQ_URL, KAFKA_BROKERS, REDIS_URL, POSTGRES_URL, ETCD_URL, ZIPKIN_URL, PROMETHEUS_URL — see scripts/infra/README.md)
		       and list the services to leave alone, e.g. NESTKIT_INFRA_SKIP="rabbitmq kafka".
	EOF
}

# apt_install <package...>
# Installs only the packages that are missing. While dpkg runs, a
# /usr/sbin/policy-rc.d that exits 101 forbids maintainer scripts from
# starting services, so installing e.g. redis-server does not leave a system
# redis on 6379 behind; the previous policy-rc.d (if any) is restored.
apt_install() {
	local missing=() p
	for p in "$@"; do
		pkg_installed "$p" || missing+=("$p")
	done
	((${#missing[@]})) || return 0

	if ! command -v apt-get >/dev/null 2>&1; then
		printf 'infra: ERROR: missing packages: %s, and apt-get is not available.\n       Install them with your package manager.\n%s\n' \
			"${missing[*]}" "$(external_hint)" >&2
		exit 1
	fi
	if [[ $(id -u) != 0 ]]; then
		printf 'infra: ERROR: missing packages: %s, and installing them needs root.\n       Run: sudo apt-get install -y --no-install-recommends %s\n%s\n' \
			"${missing[*]}" "${missing[*]}" "$(external_hint)" >&2
		exit 1
	fi

	local start
	start=$(now_ms)
	log "installing ${missing[*]} (apt-get) ..."
	# Subshell so the EXIT trap that restores policy-rc.d stays local.
	(
		set -euo pipefail
		# Serialise with other infra scripts installing at the same time;
		# apt's own lock timeout covers unrelated apt-get runs.
		exec 8>/tmp/nestkit-infra-apt.lock
		flock 8
		policy=/usr/sbin/policy-rc.d
		backup=""
		if [[ -e $policy ]]; then
			backup=$(mktemp /tmp/nestkit-policy-rc.d.XXXXXX)
			cp -p "$policy" "$backup"
		fi
		# shellcheck disable=SC2317 # called by the trap
		restore_policy() {
			if [[ -n $backup ]]; then
				cp -p "$backup" "$policy" && rm -f "$backup"
			else
				rm -f "$policy"
			fi
		}
		trap restore_policy EXIT
		printf '#!/bin/sh\n# nestkit infra: do not start services from package scripts\nexit 101\n' >"$policy"
		chmod 755 "$policy"

		export DEBIAN_FRONTEND=noninteractive
		apt_opts=(-y -q --no-install-recommends -o DPkg::Lock::Timeout=300
			-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
		# A fresh machine may have empty (or stale) package lists: refresh
		# them when a package has no candidate, or when the install fails.
		need_update=0
		for p in "${missing[@]}"; do
			if ! apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [^(]'; then
				need_update=1
			fi
		done
		if ((need_update)); then
			apt-get update -q >/tmp/nestkit-infra-apt.log 2>&1 || true
		fi
		if ! apt-get install "${apt_opts[@]}" "${missing[@]}" >>/tmp/nestkit-infra-apt.log 2>&1; then
			apt-get update -q >>/tmp/nestkit-infra-apt.log 2>&1 || true
			if ! apt-get install "${apt_opts[@]}" "${missing[@]}" >>/tmp/nestkit-infra-apt.log 2>&1; then
				tail -n 20 /tmp/nestkit-infra-apt.log >&2
				printf 'infra: ERROR: apt-get install %s failed (full log: /tmp/nestkit-infra-apt.log).\n%s\n' \
					"${missing[*]}" "$(external_hint)" >&2
				exit 1
			fi
		fi
	)
	log "installed ${missing[*]} ($(elapsed_since "$start")s)"
}

# Debian packages a service needs that are not installed yet (one source of
# truth for the per-service scripts and for up.sh, which installs the union
# in a single apt-get run).
service_apt_packages() {
	local pkgs=() p
	case "$1" in
	postgres)
		# Any installed server version will do; else `postgresql` (15 on Debian 12).
		ls -d /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || pkgs+=(postgresql)
		command -v psql >/dev/null 2>&1 || pkgs+=(postgresql-client)
		;;
	redis) pkgs+=(redis-server redis-tools) ;;
	etcd)
		pkgs+=(etcd-server etcd-client) # etcd-client: etcdctl
		command -v curl >/dev/null 2>&1 || pkgs+=(curl)
		;;
	rabbitmq) pkgs+=(rabbitmq-server) ;;
	kafka)
		kafka_java_ok || pkgs+=(openjdk-17-jre-headless)
		command -v mvn >/dev/null 2>&1 || pkgs+=(maven)
		;;
	zipkin)
		# Java 17+ runs the jar; curl fetches it (mvn is used instead when curl fails and mvn is there).
		kafka_java_ok || pkgs+=(openjdk-17-jre-headless)
		command -v curl >/dev/null 2>&1 || pkgs+=(curl)
		;;
	prometheus)
		# The server and promtool (scripts/check-observability.mjs) come in the same package.
		{ [[ -x ${NESTKIT_PROMETHEUS_BIN:-/usr/bin/prometheus} ]] || command -v prometheus >/dev/null 2>&1; } || pkgs+=(prometheus)
		command -v curl >/dev/null 2>&1 || pkgs+=(curl)
		;;
	*) die "unknown service: $1" ;;
	esac
	for p in "${pkgs[@]}"; do
		pkg_installed "$p" || printf '%s\n' "$p"
	done
}

# Java 17+ on PATH (Kafka 4 brokers and Zipkin 3 need 17).
kafka_java_ok() {
	command -v java >/dev/null 2>&1 || return 1
	local v
	v=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
	[[ ${v%%.*} =~ ^[0-9]+$ ]] && ((${v%%.*} >= 17))
}

# Install what a service needs from Debian (no-op when all present).
install_service_packages() {
	local pkgs
	mapfile -t pkgs < <(service_apt_packages "$1")
	((${#pkgs[@]} == 0)) || apt_install "${pkgs[@]}"
}

# Common argument handling for the per-service scripts: calls <svc>_<cmd>.
service_main() {
	local svc=$1 cmd=${2:-}
	case "$cmd" in
	up | down | status | install)
		if is_skipped "$svc" && [[ $cmd != status ]]; then
			log "$svc skipped (NESTKIT_INFRA_SKIP)"
			return 0
		fi
		"${svc}_${cmd}"
		;;
	*)
		echo "usage: $(basename "$0") up|down|status|install" >&2
		exit 2
		;;
	esac
}
