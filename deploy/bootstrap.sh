#!/bin/sh
# The agent's join token and trust bundle, and seed 004's entries: each agent's SPIFFE ID is issued to a container
# only when Docker says it belongs to this compose project and service. Run again, it keeps the entries that exist.
set -eu
SOCKET=/run/agentfabric-server/api.sock
OUT=/run/agentfabric-bootstrap
NODE=spiffe://example.org/agentfabric/compose/node

if [ ! -s "$OUT/join-token" ]; then
  agentfabric token generate -socketPath "$SOCKET" -spiffeID "$NODE" -ttl 600 | cut -d' ' -f2 > "$OUT/join-token"
fi
agentfabric bundle show -socketPath "$SOCKET" -format pem > "$OUT/bundle.pem"

register() { # service spiffe-id
  if agentfabric entry show -socketPath "$SOCKET" -spiffeID "$2" | grep -q '^Found 0 entries'; then
    agentfabric entry create -socketPath "$SOCKET" -parentID "$NODE" -spiffeID "$2" \
      -selector docker:label:com.docker.compose.project:spiffe-spire-demo \
      -selector "docker:label:com.docker.compose.service:$1"
  fi
}
register frontend spiffe://example.org/ns/ui/sa/frontend
register researcher spiffe://example.org/ns/agents/sa/researcher
register writer spiffe://example.org/ns/agents/sa/writer
