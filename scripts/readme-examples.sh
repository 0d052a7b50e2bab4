#!/usr/bin/env bash
# Runs every curl example of the README against a fresh server and prints the real output, so the
# README shows what the service answers. Usage: bash scripts/readme-examples.sh > /tmp/examples.md
set -euo pipefail
PORT=${PORT:-3917}
PORT=$PORT LOG_LEVEL=warn node dist/src/server.js >/tmp/likely-readme.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
B="http://127.0.0.1:$PORT"
ex() { # title, method path [json]
  local title=$1 method=$2 path=$3 body=${4:-}
  echo "### $title"
  echo
  echo '```console'
  if [ -n "$body" ]; then
    echo "\$ curl -s -X $method localhost:3000$path -H 'content-type: application/json' -d '$body'"
    out=$(curl -s -X "$method" "$B$path" -H 'content-type: application/json' -d "$body")
  else
    echo "\$ curl -s -X $method localhost:3000$path"
    out=$(curl -s -X "$method" "$B$path")
  fi
  if [ ${#out} -gt 900 ]; then echo "${out:0:900} …(cut)"; else echo "$out"; fi
  echo
  echo '```'
  echo
}
export -f ex
source scripts/readme-examples.list
