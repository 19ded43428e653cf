# serve.sh - starting and stopping `exoskin serve` for tests/serve*.sh
# (sourced after harness.sh): serve_start ARGS... starts it on a free port
# (--port 0) with its output in $tmp and sets serve_pid and serve_url;
# serve_stop sends SIGTERM and returns the server's exit status.
serve_start() {
  local log=$tmp/serve.$$.$RANDOM
  "$exo" serve --port 0 "$@" >"$log.out" 2>"$log.err" &
  serve_pid=$!
  serve_err=$log.err
  serve_url=
  for _ in $(seq 1 600); do # the line is printed once it listens (30 s at most)
    serve_url=$(sed -n 's|^exoskin serve: \(http://[^ ]*/\) .*|\1|p' "$log.out")
    [ -n "$serve_url" ] && break
    kill -0 "$serve_pid" 2>/dev/null || break
    sleep 0.05
  done
  [ -n "$serve_url" ]
}
serve_stop() {
  kill -TERM "$serve_pid" 2>/dev/null
  wait "$serve_pid"
}
