# Throwaway PostgreSQL and Redis on free loopback ports, for tests and benchmarks.
# Source this file, then: infra_install; infra_start; ... ; infra_stop (or trap infra_stop EXIT).
# Exports SAFEGRAM_TEST_POSTGRES (Npgsql connection string) and SAFEGRAM_TEST_REDIS (host:port).

infra_log() { echo "[infra] $*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

infra_pg_bin() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

# Installs what is missing: PostgreSQL server binaries and redis-server.
infra_install() {
    local missing=()
    [ -n "$(infra_pg_bin)" ] && [ -x "$(infra_pg_bin)/initdb" ] || missing+=(postgresql)
    command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
    command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
    if [ ${#missing[@]} -gt 0 ]; then
        infra_log "installing ${missing[*]}"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        # The packages' own services are not wanted: each run starts private instances.
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

# A free TCP port on 127.0.0.1 (nothing answers a connection to it), below the kernel's ephemeral range like
# tests/TestSupport/FreePorts.cs: a port in that range may be the local end of a client connection, open or in
# TIME_WAIT, and then nothing can listen on it although nothing answers there (PostgreSQL: "could not bind ...
# Address already in use", seen once in ~15 back-to-back starts with the range 20000-39999).
infra_free_port() {
    local port low=32768 span
    read -r low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
    span=$(( low - 10000 ))
    [ "$span" -ge 1000 ] || span=20000
    for _ in $(seq 1 200); do
        port=$(( (RANDOM * 32768 + RANDOM) % span + 10000 ))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    infra_log "no free port found"
    return 1
}

# Runs a PostgreSQL tool as the postgres user when we are root (initdb and pg_ctl refuse root).
infra_pg() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

infra_start_postgres() {
    local bin; bin=$(infra_pg_bin)
    # Directly under /tmp: every parent must be traversable by the postgres user.
    INFRA_PG_DIR=$(mktemp -d /tmp/safegram-pg.XXXXXX)
    chmod 755 "$INFRA_PG_DIR"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$INFRA_PG_DIR"
    infra_pg "$bin/initdb" -D "$INFRA_PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 -N >/dev/null
    # Tests trade durability for speed; INFRA_PG_DURABLE=1 (the benchmark) keeps PostgreSQL's defaults, so a
    # commit is on disk before it returns. INFRA_PG_EXTRA adds server options (the benchmark's logging).
    local durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    [ "${INFRA_PG_DURABLE:-0}" = 1 ] && durability=""
    local attempt
    for attempt in 1 2 3; do
        INFRA_PG_PORT=$(infra_free_port)
        if infra_pg "$bin/pg_ctl" -D "$INFRA_PG_DIR/data" -l "$INFRA_PG_DIR/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $INFRA_PG_PORT -k $INFRA_PG_DIR -c max_connections=400 $durability ${INFRA_PG_EXTRA:-}" \
            start >/dev/null; then
            break
        fi
        infra_log "PostgreSQL did not start on port $INFRA_PG_PORT (attempt $attempt of 3):"
        tail -n 5 "$INFRA_PG_DIR/server.log" >&2 || true
        [ "$attempt" -lt 3 ] || return 1
    done
    infra_log "PostgreSQL durability: ${durability:-fsync and synchronous_commit on (defaults)}"
    export SAFEGRAM_TEST_POSTGRES="Host=127.0.0.1;Port=$INFRA_PG_PORT;Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=50"
    infra_log "PostgreSQL on 127.0.0.1:$INFRA_PG_PORT ($INFRA_PG_DIR)"
}

infra_start_redis() {
    INFRA_REDIS_DIR=$(mktemp -d /tmp/safegram-redis.XXXXXX)
    INFRA_REDIS_PORT=$(infra_free_port)
    # Not daemonized: we keep the pid and reap it ourselves.
    redis-server --port "$INFRA_REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
        --dir "$INFRA_REDIS_DIR" --logfile "$INFRA_REDIS_DIR/redis.log" &
    INFRA_REDIS_PID=$!
    for _ in $(seq 1 100); do
        redis-cli -p "$INFRA_REDIS_PORT" ping >/dev/null 2>&1 && break
        sleep 0.1
    done
    redis-cli -p "$INFRA_REDIS_PORT" ping >/dev/null
    export SAFEGRAM_TEST_REDIS="127.0.0.1:$INFRA_REDIS_PORT"
    infra_log "Redis on 127.0.0.1:$INFRA_REDIS_PORT"
}

infra_start() {
    infra_start_postgres
    infra_start_redis
}

infra_stop() {
    if [ -n "${INFRA_REDIS_PORT:-}" ]; then
        redis-cli -p "$INFRA_REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
        wait "${INFRA_REDIS_PID:-}" 2>/dev/null || true
        rm -rf "$INFRA_REDIS_DIR"
        INFRA_REDIS_PORT=
    fi
    if [ -n "${INFRA_PG_DIR:-}" ]; then
        infra_pg "$(infra_pg_bin)/pg_ctl" -D "$INFRA_PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
        rm -rf "$INFRA_PG_DIR"
        INFRA_PG_DIR=
    fi
}
