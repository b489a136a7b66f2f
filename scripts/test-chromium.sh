#!/usr/bin/env bash
# Makes Debian's chromium available for the browser tests (tests/AgentFabric.Browser.Tests), installing it when it is
# absent, as root or with sudo. Source it: it exports AGENTFABRIC_CHROMIUM (the executable the tests launch, headless,
# by path: Playwright never downloads a browser here) and PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1.
# On failure it prints why and leaves AGENTFABRIC_CHROMIUM unset (the browser tests then skip and say so).

agentfabric_find_chromium() {
  local c
  for c in "${AGENTFABRIC_CHROMIUM:-}" /usr/bin/chromium; do
    [ -n "$c" ] && [ -x "$c" ] && { echo "$c"; return 0; }
  done
  return 1
}

agentfabric_install_chromium() {
  local sudo=()
  command -v apt-get >/dev/null 2>&1 || return 1
  if [ "$(id -u)" != 0 ]; then
    # Never prompt for a password in a test run: sudo only when it needs none.
    sudo -n true >/dev/null 2>&1 || return 1
    sudo=(sudo -n)
  fi
  echo "test-chromium: installing Debian's chromium"
  "${sudo[@]}" apt-get update -qq >/dev/null 2>&1 || true
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1
}

agentfabric_start_chromium() {
  local exe
  export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
  if ! exe=$(agentfabric_find_chromium); then
    agentfabric_install_chromium || true
    exe=$(agentfabric_find_chromium) || { echo "test-chromium: no chromium and could not install it; browser tests will skip"; return 0; }
  fi
  export AGENTFABRIC_CHROMIUM=$exe
  echo "test-chromium: $("$exe" --version 2>/dev/null || echo "$exe")"
}
