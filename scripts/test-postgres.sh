#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on a 127.0.0.1 port in a temporary directory for the server's datastore
# contract tests, installing Debian's postgresql when no initdb is found. Source it: it exports
# AGENTFABRIC_TEST_POSTGRES (an Npgsql connection string) and defines agentfabric_stop_postgres.
# On failure it prints why and leaves the variable unset (the PostgreSQL tests then skip and say so).

agentfabric_find_pg_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

agentfabric_start_postgres() {
  local bin dir port runas=()
  if ! bin=$(agentfabric_find_pg_bin); then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "test-postgres: installing Debian's postgresql"
      apt-get update -qq >/dev/null 2>&1 || true
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null 2>&1 || true
    fi
    bin=$(agentfabric_find_pg_bin) || { echo "test-postgres: no initdb and could not install postgresql; PostgreSQL tests will skip"; return 0; }
  fi
  dir=$(mktemp -d /tmp/agentfabric-pg.XXXXXX)
  # initdb refuses to run as root: run the cluster as the postgres user the package creates.
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd -r -M postgres
    chown postgres "$dir"
    runas=(runuser -u postgres --)
  fi
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 55432)
  if ! "${runas[@]}" "$bin/initdb" -D "$dir/data" -U agentfabric --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1; then
    echo "test-postgres: initdb failed (see $dir/initdb.log); PostgreSQL tests will skip"; return 0
  fi
  if ! "${runas[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off" start >/dev/null 2>&1; then
    echo "test-postgres: pg_ctl start failed (see $dir/server.log); PostgreSQL tests will skip"; return 0
  fi
  export AGENTFABRIC_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=agentfabric;Database=postgres"
  AGENTFABRIC_PG_DIR=$dir AGENTFABRIC_PG_BIN=$bin AGENTFABRIC_PG_RUNAS="${runas[*]}"
  echo "test-postgres: PostgreSQL on 127.0.0.1:$port ($dir)"
}

agentfabric_stop_postgres() {
  if [ -n "${AGENTFABRIC_PG_DIR:-}" ]; then
    # shellcheck disable=SC2086
    $AGENTFABRIC_PG_RUNAS "$AGENTFABRIC_PG_BIN/pg_ctl" -D "$AGENTFABRIC_PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$AGENTFABRIC_PG_DIR"
    unset AGENTFABRIC_PG_DIR
  fi
}
