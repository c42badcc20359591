#!/usr/bin/env bash
# promtool, from Debian's `prometheus` package, for checking the Prometheus config and alert rules
# of deploy/observability (scripts/check-observability.mjs). Nothing is started: the package
# ships a prometheus.service, and apt_install's policy-rc.d forbids its maintainer scripts to start
# it; `install` then checks that no prometheus process runs and warns if one does.
# Usage: prometheus.sh install|path
#   install  install the `prometheus` package unless promtool is already on PATH
#   path     print promtool's path; exit 1 when it is not installed
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# promtool's path, or nothing (status 1). /usr/bin is looked at too: a PATH without it (some
# sudo or CI setups) should not make us reinstall.
promtool_path() {
	local p
	if p=$(command -v promtool 2>/dev/null); then
		printf '%s\n' "$p"
	elif [[ -x /usr/bin/promtool ]]; then
		printf '%s\n' /usr/bin/promtool
	else
		return 1
	fi
}

# Pids of running `prometheus` servers (none: empty output).
prometheus_pids() {
	if command -v pgrep >/dev/null 2>&1; then
		pgrep -x prometheus || true
	fi
}

prometheus_install() {
	local promtool pids
	if promtool=$(promtool_path); then
		log "promtool already installed: $promtool ($("$promtool" --version 2>&1 | head -n 1))"
		return 0
	fi
	apt_install prometheus
	promtool=$(promtool_path) || die "prometheus: the package is installed but promtool is not in /usr/bin or on PATH"
	log "promtool: $promtool ($("$promtool" --version 2>&1 | head -n 1))"
	pids=$(prometheus_pids)
	if [[ -n $pids ]]; then
		warn "a prometheus server is running (pid $(echo "$pids" | tr '\n' ' ' | sed 's/ $//')), probably started by the package; nestkit does not need it. Stop it with: systemctl stop prometheus && systemctl disable prometheus"
	fi
}

prometheus_cmd_path() {
	promtool_path || exit 1
}

case "${1:-}" in
install) prometheus_install ;;
path) prometheus_cmd_path ;;
*)
	echo "usage: $(basename "$0") install|path" >&2
	exit 2
	;;
esac
