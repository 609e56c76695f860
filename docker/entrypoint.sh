#!/bin/sh
# The container's entrypoint (see docs/operations.md, "Container").
#
#   nightly [ARGS]   one nightly run (the default command); exits with its code
#   schedule         a nightly run every day at $BRIEFING_AT (HH:MM, default 06:30) in
#                    $BRIEFING_AT_TZ (default Asia/Shanghai); a failed run is reported
#                    (stderr, the log, notify:) and the loop goes on
#   anything else    passed to `briefing` (init, doctor, fetch, build, site, sources, ...)
#
# BRIEFING_CONFIG (default /data/feeds.yaml) names the configuration.
set -eu

BRIEFING=${BRIEFING_BIN:-briefing}
PYTHON=${BRIEFING_PYTHON:-python3}

run_nightly() {
  # --wait: a manual `docker exec ... briefing nightly` holding the lock delays us, not fails us.
  "$BRIEFING" nightly --wait 600 "$@"
}

schedule() {
  at=${BRIEFING_AT:-06:30}
  zone=${BRIEFING_AT_TZ:-Asia/Shanghai}
  runs=0
  while :; do
    delay=$("$PYTHON" -m briefing.schedule "$at" "$zone")
    echo "schedule: next nightly at $at $zone (in ${delay}s)"
    ${BRIEFING_SLEEP:-sleep} "$delay"
    status=0
    run_nightly --quiet "$@" || status=$?
    echo "schedule: nightly exited $status"
    runs=$((runs + 1))
    if [ -n "${BRIEFING_MAX_RUNS:-}" ] && [ "$runs" -ge "$BRIEFING_MAX_RUNS" ]; then
      return "$status"
    fi
  done
}

command=${1:-nightly}
[ $# -gt 0 ] && shift
case "$command" in
  nightly) run_nightly "$@" ;;
  schedule) schedule "$@" ;;
  *) exec "$BRIEFING" "$command" "$@" ;;
esac
