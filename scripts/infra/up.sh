#!/usr/bin/env bash
# Install (when missing) and start the local test servers, then wait until
# each one is healthy. Idempotent: services already up and healthy are left as
# they are.
#   scripts/infra/up.sh                   # all: postgres redis etcd rabbitmq kafka zipkin prometheus
#   scripts/infra/up.sh rabbitmq kafka    # just these
# Then: eval "$(scripts/infra/env.sh)"
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

parse_services() {
	local s
	SERVICES=()
	(($#)) || set -- "${INFRA_ALL_SERVICES[@]}"
	for s in "$@"; do
		[[ " ${INFRA_ALL_SERVICES[*]} " == *" $s "* ]] ||
			die "unknown service '$s' (known: ${INFRA_ALL_SERVICES[*]})"
		if is_skipped "$s"; then
			log "$s skipped (NESTKIT_INFRA_SKIP)"
			continue
		fi
		SERVICES+=("$s")
	done
}

main() {
	parse_services "$@"
	((${#SERVICES[@]})) || return 0
	local total_start s pid
	total_start=$(now_ms)
	RESULTS=$(mktemp -d /tmp/nestkit-infra-up.XXXXXX) # global: used by the EXIT trap
	trap 'rm -rf "$RESULTS"' EXIT

	# 1. Kafka's and Zipkin's jar downloads (Maven Central) overlap the apt-get
	#    work, when Java (and Maven / curl) are already there.
	local fetch_pids=()
	for s in kafka zipkin; do
		if [[ " ${SERVICES[*]} " == *" $s "* ]] && [[ -z $(service_apt_packages "$s") ]]; then
			bash "$INFRA_SCRIPTS_DIR/$s.sh" install &
			fetch_pids+=($!)
		fi
	done

	# 2. One apt-get run for every missing Debian package (dpkg is serial anyway).
	local pkgs=()
	for s in "${SERVICES[@]}"; do
		mapfile -t -O "${#pkgs[@]}" pkgs < <(service_apt_packages "$s")
	done
	if ((${#pkgs[@]})); then
		mapfile -t pkgs < <(printf '%s\n' "${pkgs[@]}" | sort -u)
		apt_install "${pkgs[@]}"
	fi

	# 3. Start everything at once: the servers are independent, and most of
	#    their start-up time is waiting (JVM/BEAM boot), so in parallel the
	#    total is about the slowest one. Slowest first so they boot first.
	#    (kafka.sh/zipkin.sh up wait for the jar download above if it is still running.)
	local order=() pids=()
	for s in kafka zipkin rabbitmq postgres etcd redis prometheus; do
		[[ " ${SERVICES[*]} " == *" $s "* ]] && order+=("$s")
	done
	for s in "${order[@]}"; do
		(
			start=$(now_ms)
			rc=0
			bash "$INFRA_SCRIPTS_DIR/$s.sh" up || rc=$?
			echo "$rc $(elapsed_since "$start")" >"$RESULTS/$s"
		) &
		pids+=($!)
	done
	for pid in "${pids[@]}"; do wait "$pid" || true; done
	for pid in "${fetch_pids[@]}"; do wait "$pid" || true; done

	# 4. Summary.
	local failed=() summary=() rc secs
	for s in "${order[@]}"; do
		read -r rc secs <"$RESULTS/$s" 2>/dev/null || { rc=1 secs='?'; }
		if [[ $rc == 0 ]]; then
			summary+=("$s ${secs}s")
		else
			summary+=("$s FAILED")
			failed+=("$s")
		fi
	done
	local joined
	joined=$(printf '%s, ' "${summary[@]}")
	log "up: ${joined%, } — total $(elapsed_since "$total_start")s"
	if ((${#failed[@]})); then
		die "failed to start: ${failed[*]} (logs under $NESTKIT_INFRA_DIR/<service>/)"
	fi
}

main "$@"
