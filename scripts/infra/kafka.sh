#!/usr/bin/env bash
# Apache Kafka 4.4.0, single KRaft node (broker+controller): broker on
# 127.0.0.1:${NESTKIT_KAFKA_PORT:-19092}, controller on :${NESTKIT_KAFKA_CONTROLLER_PORT:-19093},
# data in $NESTKIT_INFRA_DIR/kafka. Jars come from Maven Central (kafka/pom.xml)
# into a cache outside the repo, so a re-clone does not download them again.
# Usage: kafka.sh up|down|status|install
#        kafka.sh tool <main-class> [args...]   (e.g. org.apache.kafka.tools.TopicCommand --list ...)
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

KAFKA_VERSION=4.4.0
KAFKA_DIR="$NESTKIT_INFRA_DIR/kafka"
KAFKA_PIDFILE="$KAFKA_DIR/kafka.pid"
KAFKA_LOG="$KAFKA_DIR/kafka.out" # stdout/stderr; log4j2 writes $KAFKA_DIR/logs/server.log
KAFKA_CACHE="${NESTKIT_KAFKA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nestkit/kafka-$KAFKA_VERSION}"
KAFKA_LIBS="$KAFKA_CACHE/libs"
KAFKA_BOOTSTRAP="127.0.0.1:$NESTKIT_KAFKA_PORT"
KAFKA_HEAP="${NESTKIT_KAFKA_HEAP:-512m}"
KAFKA_CDS_PENDING="$KAFKA_DIR/cds-pending" # archive being written by the running broker

# Java 17+ and Maven (from Debian when missing), then the jars (once per cache).
kafka_install() {
	install_service_packages kafka # openjdk-17-jre-headless, maven, when missing
	kafka_java_ok || die "kafka: needs Java 17+ on PATH (found: $(java -version 2>&1 | head -n 1)). Install openjdk-17-jre-headless or put a JDK 17+ first on PATH."
	[[ -f $KAFKA_LIBS/.complete ]] && return 0

	# up.sh runs `kafka.sh install` in the background while apt works, and
	# `kafka.sh up` right after: the second one waits here for the first.
	mkdir -p "$KAFKA_CACHE"
	exec 7>"$KAFKA_CACHE/.lock"
	flock 7
	if [[ -f $KAFKA_LIBS/.complete ]]; then
		exec 7>&-
		return 0
	fi

	local start tmp
	start=$(now_ms)
	log "fetching kafka $KAFKA_VERSION jars from Maven Central into $KAFKA_CACHE ..."
	# Download into a temp dir and rename: an interrupted fetch never leaves
	# a half-filled libs/ that looks complete.
	tmp=$(mktemp -d "$KAFKA_CACHE/libs.tmp.XXXXXX")
	if ! mvn -q -B -f "$INFRA_SCRIPTS_DIR/kafka/pom.xml" \
		dependency:copy-dependencies -DoutputDirectory="$tmp" >"$KAFKA_CACHE/mvn.log" 2>&1; then
		tail -n 20 "$KAFKA_CACHE/mvn.log" >&2
		rm -rf "$tmp"
		die "kafka: mvn dependency:copy-dependencies failed (log: $KAFKA_CACHE/mvn.log)"
	fi
	touch "$tmp/.complete"
	rm -rf "$KAFKA_LIBS"
	mv "$tmp" "$KAFKA_LIBS"
	exec 7>&-
	log "kafka jars ready ($(elapsed_since "$start")s, $(du -sh "$KAFKA_LIBS" | cut -f1))"
}

# JVM flags for the short-lived CLI tools: C1 only and a small heap start
# faster, and warnings only, to stderr.
KAFKA_TOOL_OPTS=(-Xms32m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto
	"-Dlog4j2.configurationFile=$INFRA_SCRIPTS_DIR/kafka/tools-log4j2.properties")

# --- class-data sharing (CDS) ---------------------------------------------------
# A JVM start spends most of its time loading and verifying classes. A dynamic
# CDS archive (JDK 13+) written by one run lets later runs map them instead:
# the broker starts in ~3 s instead of ~6 s, a CLI call takes ~0.7 s instead
# of ~1.5 s. The archive is written when a JVM started with
# -XX:ArchiveClassesAtExit exits, so the first broker run records it on
# `down`. It is keyed by the java binary (path + mtime): a JDK upgrade makes a
# new one. A broken or mismatched archive is simply ignored by the JVM
# (-Xshare:auto), and its warnings are silenced.
KAFKA_CDS_DIR="$KAFKA_CACHE/cds"
NESTKIT_KAFKA_CDS="${NESTKIT_KAFKA_CDS:-1}" # 0 = never use or write archives
KAFKA_CDS_QUIET=('-Xlog:cds*=off' '-Xlog:class+path=off')

cds_archive() {
	local java
	java=$(readlink -f "$(command -v java)")
	printf '%s/%s-%s.jsa' "$KAFKA_CDS_DIR" "$1" \
		"$(printf '%s:%s' "$java" "$(stat -c %Y "$java")" | md5sum | cut -c1-10)"
}

# cds_promote <tmp> <final>: keep the freshly written archive only if a JVM
# accepts it with sharing forced on; rename = atomic for concurrent readers.
cds_promote() {
	local tmp=$1 final=$2
	if [[ -s $tmp ]] && java -XX:SharedArchiveFile="$tmp" -Xshare:on -cp "$KAFKA_LIBS/*" -version >/dev/null 2>&1; then
		mv -f "$tmp" "$final"
	else
		rm -f "$tmp"
	fi
}

# kafka_tool <main-class> [args...]; KAFKA_TOOL_TIMEOUT=<s> bounds the run.
kafka_tool() {
	local jsa cmd=(java "${KAFKA_TOOL_OPTS[@]}")
	jsa=$(cds_archive tools)
	[[ $NESTKIT_KAFKA_CDS == 1 && -f $jsa ]] && cmd+=("-XX:SharedArchiveFile=$jsa" "${KAFKA_CDS_QUIET[@]}")
	[[ -n ${KAFKA_TOOL_TIMEOUT:-} ]] && cmd=(timeout "$KAFKA_TOOL_TIMEOUT" "${cmd[@]}")
	"${cmd[@]}" -cp "$KAFKA_LIBS/*" "$@"
}

# Record the CLI archive off the critical path: one TopicCommand --list in
# the background once the broker is up (~3 s of one core, once per JDK).
cds_record_tools_async() {
	local jsa tmp
	jsa=$(cds_archive tools)
	[[ $NESTKIT_KAFKA_CDS == 1 && ! -f $jsa ]] || return 0
	mkdir -p "$KAFKA_CDS_DIR"
	tmp="$jsa.tmp.$$"
	(
		if java "${KAFKA_TOOL_OPTS[@]}" "-XX:ArchiveClassesAtExit=$tmp" "${KAFKA_CDS_QUIET[@]}" -cp "$KAFKA_LIBS/*" \
			org.apache.kafka.tools.TopicCommand --bootstrap-server "$KAFKA_BOOTSTRAP" --list; then
			cds_promote "$tmp" "$jsa"
		else
			rm -f "$tmp"
		fi
	) </dev/null >/dev/null 2>&1 9>&- 7>&- &
	disown
}

kafka_port_open() { port_open "$NESTKIT_KAFKA_PORT"; }

# Port open is not enough (the socket server opens before the broker has
# caught up with the metadata log); a metadata request answering is.
kafka_healthy() {
	kafka_port_open &&
		KAFKA_TOOL_TIMEOUT=30 kafka_tool org.apache.kafka.tools.TopicCommand \
			--bootstrap-server "$KAFKA_BOOTSTRAP" --list >/dev/null 2>&1
}

kafka_write_config() {
	mkdir -p "$KAFKA_DIR/data" "$KAFKA_DIR/logs"
	cat >"$KAFKA_DIR/server.properties" <<-EOF
		# generated by scripts/infra/kafka.sh — edits are overwritten
		process.roles=broker,controller
		node.id=1
		controller.quorum.voters=1@127.0.0.1:$NESTKIT_KAFKA_CONTROLLER_PORT
		listeners=PLAINTEXT://127.0.0.1:$NESTKIT_KAFKA_PORT,CONTROLLER://127.0.0.1:$NESTKIT_KAFKA_CONTROLLER_PORT
		advertised.listeners=PLAINTEXT://127.0.0.1:$NESTKIT_KAFKA_PORT
		controller.listener.names=CONTROLLER
		inter.broker.listener.name=PLAINTEXT
		listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
		log.dirs=$KAFKA_DIR/data
		num.partitions=1
		default.replication.factor=1
		offsets.topic.replication.factor=1
		offsets.topic.num.partitions=10
		transaction.state.log.replication.factor=1
		transaction.state.log.min.isr=1
		share.coordinator.state.topic.replication.factor=1
		share.coordinator.state.topic.min.isr=1
		min.insync.replicas=1
		auto.create.topics.enable=true
		delete.topic.enable=true
		group.initial.rebalance.delay.ms=0
		num.network.threads=2
		num.io.threads=4
		log.retention.hours=24
	EOF
}

kafka_up() {
	lock_service "$KAFKA_DIR"
	if pid_alive "$KAFKA_PIDFILE"; then
		if wait_for kafka 60 "$KAFKA_PIDFILE" kafka_healthy; then
			log "kafka already running (pid $(pidfile_pid "$KAFKA_PIDFILE")) on $KAFKA_BOOTSTRAP"
			return 0
		fi
		die "kafka: pid $(pidfile_pid "$KAFKA_PIDFILE") is running but not answering; run '$0 down' and retry"
	fi
	kafka_install
	require_port_free kafka "$NESTKIT_KAFKA_PORT" NESTKIT_KAFKA_PORT
	require_port_free kafka "$NESTKIT_KAFKA_CONTROLLER_PORT" NESTKIT_KAFKA_CONTROLLER_PORT
	local start
	start=$(now_ms)
	log "starting kafka on $KAFKA_BOOTSTRAP ..."
	kafka_write_config
	# KRaft storage must be formatted once, with a cluster id; static voter
	# (controller.quorum.voters) so no --standalone / dynamic quorum needed.
	if [[ ! -f $KAFKA_DIR/data/meta.properties ]]; then
		local cluster_id
		# What `StorageTool random-uuid` prints (16 random bytes, URL-safe
		# base64, no padding, not starting with '-'), without a JVM start.
		cluster_id=-
		while [[ $cluster_id == -* ]]; do
			cluster_id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
		done
		kafka_tool kafka.tools.StorageTool format --ignore-formatted \
			-t "$cluster_id" -c "$KAFKA_DIR/server.properties" >"$KAFKA_DIR/format.log" 2>&1 || {
			show_log_tail "$KAFKA_DIR/format.log"
			die "kafka: storage format failed"
		}
	fi
	local jsa cds_opts
	jsa=$(cds_archive broker)
	rm -f "$KAFKA_CDS_PENDING"
	if [[ $NESTKIT_KAFKA_CDS != 1 ]]; then
		cds_opts=(-Xshare:auto)
	elif [[ -f $jsa ]]; then
		cds_opts=("-XX:SharedArchiveFile=$jsa")
	else
		mkdir -p "$KAFKA_CDS_DIR"
		cds_opts=("-XX:ArchiveClassesAtExit=$jsa.tmp.$$")
		printf '%s\n%s\n' "$jsa.tmp.$$" "$jsa" >"$KAFKA_CDS_PENDING"
	fi
	start_bg "$KAFKA_PIDFILE" "kafka.Kafka $KAFKA_DIR/server.properties" "$KAFKA_LOG" \
		java -Xms256m "-Xmx$KAFKA_HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
		"${cds_opts[@]}" "${KAFKA_CDS_QUIET[@]}" \
		-Djava.awt.headless=true \
		"-Dkafka.logs.dir=$KAFKA_DIR/logs" \
		"-Dlog4j2.configurationFile=$INFRA_SCRIPTS_DIR/kafka/log4j2.properties" \
		-cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_DIR/server.properties"
	if ! wait_for kafka "$NESTKIT_INFRA_TIMEOUT" "$KAFKA_PIDFILE" kafka_port_open ||
		! wait_for kafka 60 "$KAFKA_PIDFILE" kafka_healthy; then
		show_log_tail "$KAFKA_LOG"
		show_log_tail "$KAFKA_DIR/logs/server.log"
		exit 1
	fi
	log "kafka ready ($(elapsed_since "$start")s)"
	cds_record_tools_async
}

kafka_down() {
	lock_service "$KAFKA_DIR"
	# SIGTERM = controlled shutdown (a few seconds for a single node).
	stop_pid kafka "$KAFKA_PIDFILE" TERM 30
	# The broker wrote its class archive while exiting (first run only).
	if [[ -f $KAFKA_CDS_PENDING ]]; then
		cds_promote "$(sed -n 1p "$KAFKA_CDS_PENDING")" "$(sed -n 2p "$KAFKA_CDS_PENDING")"
		rm -f "$KAFKA_CDS_PENDING"
	fi
}

kafka_status() {
	if pid_alive "$KAFKA_PIDFILE"; then
		if kafka_healthy; then
			log "kafka running (pid $(pidfile_pid "$KAFKA_PIDFILE")) on $KAFKA_BOOTSTRAP"
			return 0
		fi
		log "kafka running (pid $(pidfile_pid "$KAFKA_PIDFILE")) but not answering on $KAFKA_BOOTSTRAP"
		return 1
	fi
	log "kafka stopped"
	return 3
}

if [[ ${1:-} == tool ]]; then
	shift
	[[ -f $KAFKA_LIBS/.complete ]] || die "kafka: jars not installed yet; run '$0 install'"
	kafka_tool "$@"
	exit
fi

service_main kafka "$@"
