#!/usr/bin/env bash
# Zipkin 3 (in-memory storage) on 127.0.0.1:${NESTKIT_ZIPKIN_PORT:-19411}: span collector
# (POST /api/v2/spans), query API (/api/v2/...), UI (/zipkin/) and GET /health, all on that one port.
# The server jar comes from Maven Central (io.zipkin:zipkin-server, classifier `slim` by default, or
# `exec`) into a cache outside the repo, so a re-clone does not download it again; it runs on the
# machine's Java 17+. Logs and pidfile in $NESTKIT_INFRA_DIR/zipkin.
# Usage: zipkin.sh up|down|status|install
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ZIPKIN_VERSION=3.6.1
# `slim` (82 MiB, ~4 s to ready here) has everything the tests use: the HTTP collector, in-memory
# storage, the API and the UI. `exec` (129 MiB, ~6-7 s) adds the Kafka/RabbitMQ/ActiveMQ/Pulsar
# collectors and the Cassandra/Elasticsearch/MySQL storages.
ZIPKIN_CLASSIFIER="${NESTKIT_ZIPKIN_CLASSIFIER:-slim}"
ZIPKIN_DIR="$NESTKIT_INFRA_DIR/zipkin"
ZIPKIN_PIDFILE="$ZIPKIN_DIR/zipkin.pid"
ZIPKIN_LOG="$ZIPKIN_DIR/zipkin.log"
ZIPKIN_CACHE="${NESTKIT_ZIPKIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nestkit/zipkin-$ZIPKIN_VERSION}"
ZIPKIN_JAR="$ZIPKIN_CACHE/zipkin-server-$ZIPKIN_VERSION-$ZIPKIN_CLASSIFIER.jar"
ZIPKIN_URL_LOCAL="http://127.0.0.1:$NESTKIT_ZIPKIN_PORT"
ZIPKIN_HEAP="${NESTKIT_ZIPKIN_HEAP:-512m}"
# Spans kept in memory; the oldest traces are dropped past it (Zipkin's default is 500000).
ZIPKIN_MAX_SPANS="${NESTKIT_ZIPKIN_MAX_SPANS:-100000}"
# Maven Central (or a mirror of it) for the curl download.
MAVEN_REPO_URL="${NESTKIT_MAVEN_REPO:-https://repo.maven.apache.org/maven2}"

case "$ZIPKIN_CLASSIFIER" in
slim | exec) ;;
*) die "zipkin: NESTKIT_ZIPKIN_CLASSIFIER must be slim or exec (got '$ZIPKIN_CLASSIFIER')" ;;
esac

# Size of a file in MB, one decimal ("86.4").
mb() { awk -v b="$(stat -c %s "$1" 2>/dev/null || echo 0)" 'BEGIN { printf "%.1f", b / 1048576 }'; }

# zipkin_fetch_curl <dest>: the jar from $MAVEN_REPO_URL, checked against its .sha1.
zipkin_fetch_curl() {
	local dest=$1 url sha expected total progress_pid=""
	url="$MAVEN_REPO_URL/io/zipkin/zipkin-server/$ZIPKIN_VERSION/zipkin-server-$ZIPKIN_VERSION-$ZIPKIN_CLASSIFIER.jar"
	expected=$(curl -fsSL --retry 2 --max-time 30 "$url.sha1" 2>/dev/null | awk '{print $1}') || true
	total=$(curl -fsSIL --max-time 30 "$url" 2>/dev/null | awk 'tolower($1) == "content-length:" {n = $2} END {printf "%.0f", n / 1048576}' | tr -d '\r') || true
	[[ ${total:-0} != 0 ]] || total='?'
	log "downloading $url ($total MB) ..."
	local curl_progress=(-sS)
	if [[ -t 2 ]]; then
		curl_progress=(--progress-bar)
	else
		# Not a terminal (CI, npm test): a progress line every 5 s instead of a bar.
		(
			while sleep 5 >/dev/null 2>&1; do
				[[ -f $dest ]] && log "zipkin: $(mb "$dest") of $total MB"
			done
		) 9>&- 7>&- &
		progress_pid=$!
	fi
	local rc=0
	curl -fL --retry 3 --connect-timeout 20 --max-time 900 "${curl_progress[@]}" -o "$dest" "$url" || rc=$?
	[[ -z $progress_pid ]] || { kill "$progress_pid" 2>/dev/null || true; wait "$progress_pid" 2>/dev/null || true; }
	((rc == 0)) || return 1
	if [[ -n $expected ]]; then
		sha=$(sha1sum "$dest" | awk '{print $1}')
		if [[ $sha != "$expected" ]]; then
			warn "zipkin: sha1 of the download is $sha, Maven Central says $expected"
			return 1
		fi
	else
		warn "zipkin: no .sha1 next to the jar; not verified"
	fi
}

# zipkin_fetch_mvn <dir>: the same artifact through Maven (its settings.xml mirrors and proxies).
zipkin_fetch_mvn() {
	local dir=$1
	command -v mvn >/dev/null 2>&1 || return 1
	log "fetching io.zipkin:zipkin-server:$ZIPKIN_VERSION:$ZIPKIN_CLASSIFIER with mvn ..."
	mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
		"-Dartifact=io.zipkin:zipkin-server:$ZIPKIN_VERSION:jar:$ZIPKIN_CLASSIFIER" \
		"-DoutputDirectory=$dir" -Dmdep.useBaseVersion=true >"$ZIPKIN_CACHE/mvn.log" 2>&1 || {
		tail -n 20 "$ZIPKIN_CACHE/mvn.log" >&2
		return 1
	}
	[[ -f $dir/$(basename "$ZIPKIN_JAR") ]]
}

# Java 17+ (from Debian when missing), then the jar (once per cache).
zipkin_install() {
	install_service_packages zipkin # openjdk-17-jre-headless, curl, when missing
	kafka_java_ok || die "zipkin: needs Java 17+ on PATH (found: $(java -version 2>&1 | head -n 1)). Install openjdk-17-jre-headless or put a JDK 17+ first on PATH."
	[[ -f $ZIPKIN_JAR ]] && return 0

	# Two installs at once (up.sh and a second up): the second waits for the first.
	mkdir -p "$ZIPKIN_CACHE"
	exec 7>"$ZIPKIN_CACHE/.lock"
	flock 7
	if [[ -f $ZIPKIN_JAR ]]; then
		exec 7>&-
		return 0
	fi
	local start tmp
	start=$(now_ms)
	# Download into a temp dir and rename: an interrupted fetch never leaves a jar that looks complete.
	tmp=$(mktemp -d "$ZIPKIN_CACHE/fetch.tmp.XXXXXX")
	if ! zipkin_fetch_curl "$tmp/$(basename "$ZIPKIN_JAR")"; then
		rm -f "$tmp/$(basename "$ZIPKIN_JAR")"
		if ! zipkin_fetch_mvn "$tmp"; then
			rm -rf "$tmp"
			die "zipkin: could not download io.zipkin:zipkin-server:$ZIPKIN_VERSION:$ZIPKIN_CLASSIFIER (curl from $MAVEN_REPO_URL, then mvn; set NESTKIT_MAVEN_REPO to a Maven Central mirror), or run your own Zipkin and set ZIPKIN_URL + NESTKIT_INFRA_SKIP=zipkin"
		fi
	fi
	log "zipkin $ZIPKIN_VERSION ($ZIPKIN_CLASSIFIER) downloaded into $ZIPKIN_CACHE ($(elapsed_since "$start")s, $(mb "$tmp/$(basename "$ZIPKIN_JAR")") MB)"
	mv -f "$tmp/$(basename "$ZIPKIN_JAR")" "$ZIPKIN_JAR"
	rm -rf "$tmp"
	exec 7>&-
}

# /health answers 200 {"status":"UP",...} once the storage and the HTTP server are up (503 before).
zipkin_healthy() {
	curl -fsS --max-time 2 "$ZIPKIN_URL_LOCAL/health" 2>/dev/null | grep -q '"UP"'
}

zipkin_up() {
	lock_service "$ZIPKIN_DIR"
	if pid_alive "$ZIPKIN_PIDFILE"; then
		if wait_for zipkin 60 "$ZIPKIN_PIDFILE" zipkin_healthy; then
			log "zipkin already running (pid $(pidfile_pid "$ZIPKIN_PIDFILE")) on $ZIPKIN_URL_LOCAL"
			return 0
		fi
		die "zipkin: pid $(pidfile_pid "$ZIPKIN_PIDFILE") is running but not healthy; run '$0 down' and retry"
	fi
	zipkin_install
	require_port_free zipkin "$NESTKIT_ZIPKIN_PORT" NESTKIT_ZIPKIN_PORT
	local start
	start=$(now_ms)
	log "starting zipkin on $ZIPKIN_URL_LOCAL ..."
	# Zipkin reads its settings from the environment: pin in-memory storage, and switch off every
	# transport collector and discovery so a KAFKA_BOOTSTRAP_SERVERS, RABBIT_URI... of the caller's
	# environment is never picked up. Only the one Armeria port, bound to 127.0.0.1 (HTTP collector,
	# gRPC collector, API, UI, /health, /prometheus). C1 only and serial GC: faster start on 2 cores.
	start_bg "$ZIPKIN_PIDFILE" "$ZIPKIN_JAR --armeria.ports[0].port=$NESTKIT_ZIPKIN_PORT" "$ZIPKIN_LOG" \
		env STORAGE_TYPE=mem "MEM_MAX_SPANS=$ZIPKIN_MAX_SPANS" \
		SELF_TRACING_ENABLED=false SEARCH_ENABLED=true QUERY_ENABLED=true COLLECTOR_SAMPLE_RATE=1.0 \
		COLLECTOR_HTTP_ENABLED=true COLLECTOR_GRPC_ENABLED=true COLLECTOR_SCRIBE_ENABLED=false \
		COLLECTOR_KAFKA_ENABLED=false COLLECTOR_RABBITMQ_ENABLED=false \
		COLLECTOR_ACTIVEMQ_ENABLED=false COLLECTOR_PULSAR_ENABLED=false \
		DISCOVERY_EUREKA_ENABLED=false \
		java -Xms64m "-Xmx$ZIPKIN_HEAP" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
		-Djava.awt.headless=true \
		-jar "$ZIPKIN_JAR" \
		"--armeria.ports[0].port=$NESTKIT_ZIPKIN_PORT" \
		"--armeria.ports[0].ip=127.0.0.1" \
		"--armeria.ports[0].protocols[0]=http"
	if ! wait_for zipkin "$NESTKIT_INFRA_TIMEOUT" "$ZIPKIN_PIDFILE" zipkin_healthy; then
		show_log_tail "$ZIPKIN_LOG"
		exit 1
	fi
	log "zipkin ready ($(elapsed_since "$start")s)"
}

zipkin_down() {
	lock_service "$ZIPKIN_DIR"
	stop_pid zipkin "$ZIPKIN_PIDFILE" TERM
}

zipkin_status() {
	if pid_alive "$ZIPKIN_PIDFILE"; then
		if zipkin_healthy; then
			log "zipkin running (pid $(pidfile_pid "$ZIPKIN_PIDFILE")) on $ZIPKIN_URL_LOCAL"
			return 0
		fi
		log "zipkin running (pid $(pidfile_pid "$ZIPKIN_PIDFILE")) but not healthy on $ZIPKIN_URL_LOCAL"
		return 1
	fi
	log "zipkin stopped"
	return 3
}

service_main zipkin "$@"
