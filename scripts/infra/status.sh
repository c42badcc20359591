#!/usr/bin/env bash
# Show whether each local test server is running and healthy.
# Exit 0 only if all the named (default: all) services are up and healthy.
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

rc=0
(($#)) || set -- "${INFRA_ALL_SERVICES[@]}"
for s in "$@"; do
	if is_skipped "$s"; then
		log "$s skipped (NESTKIT_INFRA_SKIP)"
		continue
	fi
	bash "$INFRA_SCRIPTS_DIR/$s.sh" status || rc=1
done
exit "$rc"
