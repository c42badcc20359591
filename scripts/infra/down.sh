#!/usr/bin/env bash
# Stop the local test servers started by up.sh, each by the pid it recorded
# (never by process name, so a system-wide server is never touched). Data is
# kept; delete $NESTKIT_INFRA_DIR (default <repo>/.infra) for a clean slate.
#   scripts/infra/down.sh                 # all
#   scripts/infra/down.sh kafka zipkin    # just these
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

main() {
	local s services=() pids=() rc=0
	(($#)) || set -- "${INFRA_ALL_SERVICES[@]}"
	for s in "$@"; do
		[[ " ${INFRA_ALL_SERVICES[*]} " == *" $s "* ]] ||
			die "unknown service '$s' (known: ${INFRA_ALL_SERVICES[*]})"
		is_skipped "$s" && continue
		services+=("$s")
	done
	# In parallel: Kafka's and RabbitMQ's clean shutdowns take a few seconds each.
	for s in "${services[@]}"; do
		bash "$INFRA_SCRIPTS_DIR/$s.sh" down &
		pids+=($!)
	done
	for s in "${pids[@]}"; do wait "$s" || rc=1; done
	return "$rc"
}

main "$@"
