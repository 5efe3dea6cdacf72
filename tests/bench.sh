#!/usr/bin/env bash
# SafeGram benchmark (issue 5). A tool, not a test: run it by hand.
#
#   tests/bench.sh            full run (≥ 50,000 sockets, 1 vs 2 silos/gateways; aims at < 30 min)
#   tests/bench.sh --quick    the same scenarios, shorter and smaller (< 10 min), no scaling runs
#
# Starts a throwaway PostgreSQL and Redis (scripts/infra.sh), builds Release, runs the production topology as real
# processes (Silo and Gateway published as their images ship them, self-contained and trimmed; configured only
# through environment variables, listening on 127.0.0.1) and drives it with wrk and tests/Bench. Writes
# bench-results/<stamp>/report.md and report.json and prints the "bench:" line last. Every process it started is
# stopped on exit, failure included. Only loopback addresses receive traffic.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/infra.sh

MODE=full
case "${1:-}" in
    --quick) MODE=quick ;;
    "") ;;
    *) echo "usage: tests/bench.sh [--quick]" >&2; exit 2 ;;
esac

# ── Sizes: quick | full ──
if [ "$MODE" = quick ]; then
    WRK_SECONDS=5 WRK_WARMUP=5 SEND_WARMUP=5 WARM_MIN=20 WARM_MAX=45
    SENDERS=500 RECEIVERS=400 CROWD=1000
    DELIVERY_RATE=500 DELIVERY_SECONDS=10 DELIVERY_WARMUP=10 COMMIT_SECONDS=5
    GROUP_SECONDS=5 GROUP_WARMUP=5
    WS_SOCKETS=5000 WS_GATEWAYS=2 WS_SETTLE=15
    SCALING=()
else
    WRK_SECONDS=10 WRK_WARMUP=10 SEND_WARMUP=15 WARM_MIN=30 WARM_MAX=120
    SENDERS=1000 RECEIVERS=800 CROWD=1000
    DELIVERY_RATE=1000 DELIVERY_SECONDS=30 DELIVERY_WARMUP=20 COMMIT_SECONDS=10
    GROUP_SECONDS=10 GROUP_WARMUP=10
    WS_SOCKETS=52000 WS_GATEWAYS=4 WS_SETTLE=15
    SCALING=("1 1" "1 2" "2 1" "2 2")
fi

STAMP="$(date -u +%Y%m%dT%H%M%SZ)-$MODE"
RUN="$PWD/bench-results/$STAMP"
TAG="$(date +%s | tail -c 7)"
mkdir -p "$RUN/logs" "$RUN/results"
BENCH_DLL=tests/Bench/bin/Release/net10.0/SafeGram.Bench.dll
SILO_PUBLISHED=Silo/bin/Release/bench-publish
SILO_APP=$SILO_PUBLISHED/SafeGram.Silo
GATEWAY_PUBLISHED=Gateway/bin/Release/bench-publish
GATEWAY_APP=$GATEWAY_PUBLISHED/SafeGram.Gateway
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log() { echo "[bench] $*" >&2; }

# ── Processes this script started (only these are ever stopped) ──
APP_PIDS=()
PID_LINES=()
GATEWAY_URLS=()
PIDS_FILE="$RUN/pids"
USED_PORTS=" "

# Sets PORT_OUT to a free port below the ephemeral range (infra_free_port), one not handed out before.
free_port() {
    local port
    for _ in $(seq 1 50); do
        port=$(infra_free_port) || return 1
        case "$USED_PORTS" in *" $port "*) continue ;; esac
        USED_PORTS="$USED_PORTS$port "
        PORT_OUT=$port
        return 0
    done
    log "no free port"
    return 1
}

stop_apps() {
    local pid
    for pid in "${APP_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${APP_PIDS[@]}"; do
        for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    APP_PIDS=()
    GATEWAY_URLS=()
}

cleanup() {
    stop_apps
    # PostgreSQL's own log (checkpoints, autovacuum runs) explains stalls seen in a report; it goes with the instance.
    if [ -n "${INFRA_PG_DIR:-}" ]; then cp "$INFRA_PG_DIR/server.log" "$RUN/logs/postgres.log" 2>/dev/null || true; fi
    infra_stop
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Waits (bounded) until URL answers 2xx; fails if PID dies first.
wait_http() {
    local url=$1 pid=$2 seconds=$3
    for _ in $(seq 1 $(( seconds * 5 ))); do
        curl -sf -o /dev/null --max-time 2 "$url" && return 0
        kill -0 "$pid" 2>/dev/null || { log "process $pid died before $url answered"; return 1; }
        sleep 0.2
    done
    log "$url did not answer within ${seconds}s"
    return 1
}

# The environment every server process gets; nothing else configures them.
app_env() {
    echo ASPNETCORE_ENVIRONMENT=Production
    echo "ConnectionStrings__postgres=$BENCH_POSTGRES"
    echo "ConnectionStrings__redis=$SAFEGRAM_TEST_REDIS"
    echo "Orleans__ClusterId=$CLUSTER_ID"
    echo "JWT_SECRET=$JWT_SECRET"
    echo Passwords__BcryptCost=4
    echo RateLimits__Send__Burst=1000000
    echo RateLimits__Send__PerSecond=1000000
}

# start_app NAME APP VAR=VALUE... → runs APP (a dll under dotnet, or a self-contained executable) in the background
# from its output folder (its content root, where its appsettings.json is, as in the container images); sets STARTED_PID.
start_app() {
    local name=$1 app=$2
    shift 2
    local vars=() run=("./$(basename "$app")")
    [[ "$app" == *.dll ]] && run=(dotnet "$(basename "$app")")
    mapfile -t vars < <(app_env)
    (cd "$(dirname "$app")" && exec env -u PORT -u ASPNETCORE_URLS "${vars[@]}" "$@" "${run[@]}") \
        >"$RUN/logs/$name.log" 2>&1 &
    STARTED_PID=$!
    APP_PIDS+=("$STARTED_PID")
}

write_pids() {
    {
        printf '%s\n' "${PID_LINES[@]}"
        echo "postgres postgres $(head -n 1 "$INFRA_PG_DIR/data/postmaster.pid")"
        echo "redis redis $INFRA_REDIS_PID"
    } >"$PIDS_FILE"
}

CLUSTER_SEQ=0
# topology_start SILOS GATEWAYS: a fresh cluster id, silos first (live), then gateways (ready).
topology_start() {
    local silos=$1 gateways=$2 i http silo_port gateway_port pids=() urls=()
    CLUSTER_SEQ=$(( CLUSTER_SEQ + 1 ))
    CLUSTER_ID="bench-$TAG-$CLUSTER_SEQ"
    PID_LINES=()
    log "starting $silos silo(s) and $gateways gateway(s) (cluster $CLUSTER_ID)"
    for i in $(seq 1 "$silos"); do
        free_port; http=$PORT_OUT
        free_port; silo_port=$PORT_OUT
        free_port; gateway_port=$PORT_OUT
        start_app "c${CLUSTER_SEQ}-silo$i" "$SILO_APP" "urls=http://127.0.0.1:$http" \
            "Orleans__SiloPort=$silo_port" "Orleans__GatewayPort=$gateway_port"
        pids+=("$STARTED_PID") urls+=("http://127.0.0.1:$http")
        PID_LINES+=("silo silo$i $STARTED_PID http://127.0.0.1:$http")
    done
    for i in "${!pids[@]}"; do wait_http "${urls[$i]}/health/live" "${pids[$i]}" 120; done
    pids=() urls=()
    for i in $(seq 1 "$gateways"); do
        free_port; http=$PORT_OUT
        start_app "c${CLUSTER_SEQ}-gateway$i" "$GATEWAY_APP" "urls=http://127.0.0.1:$http"
        pids+=("$STARTED_PID") urls+=("http://127.0.0.1:$http")
        PID_LINES+=("gateway gateway$i $STARTED_PID http://127.0.0.1:$http")
    done
    for i in "${!pids[@]}"; do wait_http "${urls[$i]}/health/ready" "${pids[$i]}" 120; done
    GATEWAY_URLS=("${urls[@]}")
    write_pids
}

gateways_csv() { local IFS=,; echo "${GATEWAY_URLS[*]}"; }

# bench SECONDS SUBCOMMAND ARGS...: one tests/Bench command, bounded in time. Its socket reads complete on the epoll
# threads: the load generator's work per frame is a few comparisons, and a thread-pool hop per frame cost it a quarter
# of its CPU on the cores it shares with the servers (fan-out, 2 x 2: 7.7 against 10.7 us per frame received). Only
# the load generator: the servers and the Kestrel baseline keep the runtime's default.
bench() { DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 timeout --kill-after=10 "$1" dotnet "$BENCH_DLL" "${@:2}"; }

# Logs the server processes that are gone (crashed, or stopped by something other than this script).
check_apps() {
    local line
    for line in "${PID_LINES[@]}"; do
        set -- $line
        kill -0 "$3" 2>/dev/null || log "server process $2 (pid $3) is gone: see $RUN/logs"
    done
}

# scenario NAME SECONDS SUBCOMMAND ARGS...: a failed scenario is recorded for the report and the run goes on.
FAILED=0
scenario() {
    local name=$1
    shift
    if ! bench "$@"; then
        FAILED=$(( FAILED + 1 ))
        log "scenario $name failed"
        check_apps
        echo "$name" >>"$RUN/results/failed.txt"
    fi
}

# run_wrk NAME DATA METHOD URLS [SECONDS WARMUP]
run_wrk() {
    scenario "$1" 300 wrk --dir "$RUN" --pids "$PIDS_FILE" --name "$1" --data "$RUN/$2" --method "$3" --urls "$4" \
        --threads 2 --connections 64 --seconds "${5:-$WRK_SECONDS}" --warmup "${6:-$WRK_WARMUP}"
}

# warm_up NAME: every REST route on every gateway at once until throughput stops rising (tiered compilation done).
warm_up() {
    log "warming up the cluster (until its throughput settles, $WARM_MIN-$WARM_MAX s)"
    scenario "$1" $(( WARM_MAX + 120 )) warm --dir "$RUN" --name "$1" --urls "$(gateways_csv)" \
        --routes "GET:$RUN/me.tsv,GET:$RUN/read.tsv,POST:$RUN/send.tsv" --min-seconds "$WARM_MIN" --max-seconds "$WARM_MAX"
}

# ── Tools and infrastructure ──
if ! command -v wrk >/dev/null 2>&1 || ! command -v curl >/dev/null 2>&1; then
    log "installing wrk and curl"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk curl >/dev/null
fi
infra_install
# Every acknowledged send must be on disk, as in production: PostgreSQL keeps fsync and synchronous_commit on.
INFRA_PG_DURABLE=1 INFRA_PG_EXTRA="-c log_autovacuum_min_duration=0" infra_start
# As an operator writes it: the silos choose their own pool bounds (Grains/Hosting/PostgresPooling.cs).
BENCH_POSTGRES="Host=127.0.0.1;Port=$INFRA_PG_PORT;Username=postgres;Database=bench"
bench_psql() { infra_pg psql -h 127.0.0.1 -p "$INFRA_PG_PORT" -U postgres -d bench -q "$@"; }
JWT_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d '\n')"

# build PROJECT [VERB ARGS...]: dotnet build (or VERB) in Release without shared build servers (another build on the
# machine may shut those down), retrying once.
build() {
    local project=$1 verb=${2:-build}
    local args=("$project" -c Release -nologo -v quiet --disable-build-servers "${@:3}")
    dotnet "$verb" "${args[@]}" || dotnet "$verb" "${args[@]}" || { log "$verb of $project failed"; return 1; }
}
log "building Release"
build tests/Bench/Bench.csproj
log "publishing the silo and the gateway (self-contained, trimmed)"
rm -rf "$SILO_PUBLISHED" "$GATEWAY_PUBLISHED"
build Silo/Silo.csproj publish --use-current-runtime -o "$SILO_PUBLISHED"
build Gateway/Gateway.csproj publish --use-current-runtime -o "$GATEWAY_PUBLISHED"

# ── 0. What a hand-off between threads costs here, while no server runs ──
log "scenario: platform (system call and thread wake-up costs)"
scenario platform 120 platform --dir "$RUN"

log "creating the database (Silo migrate)"
CLUSTER_ID="bench-$TAG-0"
mapfile -t MIGRATE_ENV < <(app_env)
env "${MIGRATE_ENV[@]}" "$SILO_APP" migrate >"$RUN/logs/migrate.log" 2>&1 \
    || { log "schema migration failed: see $RUN/logs/migrate.log"; exit 1; }

# ── 0b. What a durable commit costs PostgreSQL alone, on a scratch copy of the message log, while no server runs ──
# The delivery runs probe the same table again under their load (COMMIT_PROBE); it goes with the throwaway instance.
log "scenario: PostgreSQL commits (pgbench)"
COMMIT_PROBE=()
if bench_psql -c "CREATE TABLE commit_probe (LIKE messages INCLUDING ALL)"; then
    COMMIT_PROBE=(--pgbench "$(infra_pg_bin)/pgbench" --port "$INFRA_PG_PORT" --database bench --table commit_probe)
    scenario commits 600 commits --dir "$RUN" "${COMMIT_PROBE[@]}" \
        --rates "$DELIVERY_RATE,$(( DELIVERY_RATE / 4 ))" --seconds "$COMMIT_SECONDS"
else
    log "scenario commits failed: could not create its table"
    FAILED=$(( FAILED + 1 ))
    echo commits >>"$RUN/results/failed.txt"
fi

# ── 1. Ceiling: bare Kestrel on the same HTTP stack ──
log "scenario: kestrel baseline"
free_port; port=$PORT_OUT
printf 'baseline-token\t/json\n' >"$RUN/baseline.tsv"
DOTNET_gcServer=1 ASPNETCORE_ENVIRONMENT=Production dotnet "$BENCH_DLL" serve-baseline --port "$port" >"$RUN/logs/baseline.log" 2>&1 &
APP_PIDS+=("$!")
wait_http "http://127.0.0.1:$port/health/live" "$!" 60
PID_LINES=("baseline baseline ${APP_PIDS[-1]}")
write_pids
run_wrk kestrel baseline.tsv GET "http://127.0.0.1:$port"
stop_apps

# ── 2. Main topology: 2 silos, 2 gateways ──
topology_start 2 2
sleep 10
scenario idle 60 idle --dir "$RUN" --pids "$PIDS_FILE" --note "VmRSS 10 s after the cluster became ready, before any load"

log "setup: users, chats, history"
bench 1500 setup --dir "$RUN" --tag "$TAG" --gateways "$(gateways_csv)" \
    --senders "$SENDERS" --receivers "$RECEIVERS" --crowd "$CROWD" --crowd-groups 1000,100,2 --socket-users "$WS_SOCKETS" \
    || { log "setup failed: nothing to measure"; check_apps; exit 1; }
# settle_postgres WHAT: flush and vacuum the rows WHAT wrote now, not in the middle of the next measurement.
settle_postgres() {
    log "settling PostgreSQL after $1 (CHECKPOINT, VACUUM ANALYZE)"
    bench_psql -c "CHECKPOINT" -c "VACUUM ANALYZE" \
        || log "could not settle PostgreSQL; measuring anyway"
}
warm_up warm
settle_postgres "the setup and the warm-up"

log "scenario: GET /api/users/me, GET messages, POST messages (one gateway, like the baseline)"
run_wrk me me.tsv GET "${GATEWAY_URLS[0]}"
run_wrk read read.tsv GET "${GATEWAY_URLS[0]}"
run_wrk send send.tsv POST "${GATEWAY_URLS[0]}" "$WRK_SECONDS" "$SEND_WARMUP"
# The sends wrote ~250,000 rows (full run): flushed and vacuumed before latency is measured, as after the setup.
settle_postgres "the sends"

log "scenario: delivery latency at $DELIVERY_RATE sends/s, and at a quarter of that"
# A fresh cluster's first seconds of delivery compile the real-time path and promote the state the setup built, so
# the rate runs unmeasured for a while first; the quarter-rate run follows on the same, already warm, cluster.
scenario delivery 600 deliver --dir "$RUN" --pids "$PIDS_FILE" --gateways "$(gateways_csv)" "${COMMIT_PROBE[@]}" \
    --rate "$DELIVERY_RATE" --seconds "$DELIVERY_SECONDS" --warmup "$DELIVERY_WARMUP"
scenario delivery_low 600 deliver --dir "$RUN" --pids "$PIDS_FILE" --gateways "$(gateways_csv)" "${COMMIT_PROBE[@]}" --name delivery_low \
    --rate $(( DELIVERY_RATE / 4 )) --seconds $(( DELIVERY_SECONDS / 2 )) --warmup 3

log "scenario: fan-out and cost per message (groups of 1000, 100, 2)"
scenario fanout 900 fanout --dir "$RUN" --pids "$PIDS_FILE" --gateways "$(gateways_csv)" --seconds "$GROUP_SECONDS" \
    --warmup "$GROUP_WARMUP"
stop_apps

# ── 3. Connections: fresh processes, idle sockets over several gateways and client processes ──
topology_start 2 "$WS_GATEWAYS"
sleep 10
log "scenario: $WS_SOCKETS idle sockets over $WS_GATEWAYS gateways"
scenario sockets 1200 sockets --dir "$RUN" --pids "$PIDS_FILE" --gateways "$(gateways_csv)" \
    --count "$WS_SOCKETS" --per-process 16000 --settle "$WS_SETTLE" --max-seconds 900
stop_apps

# ── 4. Scaling (full runs): 1 vs 2 silos, 1 vs 2 gateways ──
for shape in "${SCALING[@]}"; do
    read -r silos gateways <<<"$shape"
    name="scale_s${silos}g${gateways}"
    topology_start "$silos" "$gateways"
    # Fresh processes spend their first minute under load in the JIT (tiered compilation); measuring then shows the
    # JIT, and four processes on two cores take longer than two (see tests/Bench/Wrk/WarmCommand.cs).
    warm_up "${name}_warm"
    run_wrk "${name}_me" me.tsv GET "$(gateways_csv)" 5
    run_wrk "${name}_read" read.tsv GET "$(gateways_csv)" 5
    run_wrk "${name}_send" send.tsv POST "$(gateways_csv)" 5 "$SEND_WARMUP"
    scenario "${name}_delivery" 600 deliver --dir "$RUN" --pids "$PIDS_FILE" --gateways "$(gateways_csv)" "${COMMIT_PROBE[@]}" \
        --name "${name}_delivery" \
        --rate $(( DELIVERY_RATE / 4 )) --seconds 10 --warmup "$DELIVERY_WARMUP"
    stop_apps
done

# ── Report; the bench: line is printed last, after everything is stopped ──
COMMIT="$(git rev-parse HEAD)"
git diff --quiet HEAD -- . ':!bench-results' 2>/dev/null || COMMIT="$COMMIT (uncommitted changes)"
if [ "$MODE" = quick ]; then TOPOLOGY="2 silos + 2 gateways; sockets: 2 silos + $WS_GATEWAYS gateways"; else
    TOPOLOGY="2 silos + 2 gateways; sockets: 2 silos + $WS_GATEWAYS gateways; scaling: s1g1, s1g2, s2g1, s2g2"; fi
bench 60 report --dir "$RUN" --mode "$MODE" --commit "$COMMIT" --topology "$TOPOLOGY" >"$RUN/logs/report.log"
ln -sfn "$STAMP" bench-results/latest
trap - EXIT
cleanup
log "report: bench-results/$STAMP/report.md (and report.json)"
[ "$FAILED" -eq 0 ] || log "$FAILED scenario(s) failed: see the report and bench-results/$STAMP/logs"
cat "$RUN/summary.txt"
[ "$FAILED" -eq 0 ]
