#!/usr/bin/env bash
# Every benchmark once with tiny sizes, so none can break unnoticed (CI runs this; the real
# measurements use the defaults, see docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
export CONNECTIONS=2 SECONDS=1
ROWS=2000 npm run --silent bench:import
REQUESTS=500 OPEN=100 npm run --silent bench:review
ROWS=2000 npm run --silent bench:simswap
npm run --silent bench:portal
RATE=20 PARTNER_MS=2000 npm run --silent bench:outbox
