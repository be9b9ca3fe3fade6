#!/usr/bin/env bash
# The demo: generate sample claims, import the references, run the nightly flow once on the
# embedded SQLite default, and print the decisions next to what each scenario expects.
set -euo pipefail
cd "$(dirname "$0")/.."
export TRADEIN_DATA_DIR="${TRADEIN_DATA_DIR:-./var/demo}"
unset TRADEIN_DATABASE_URL
export PATH="$PWD/.venv/bin:$PATH"

rm -rf "$TRADEIN_DATA_DIR"
samples="$TRADEIN_DATA_DIR/samples"
echo "== generating sample claims into $samples"
python -m fixtures generate "$samples"
echo "== database"
tradein db upgrade
echo "== reference data"
tradein partners import "$samples/reference/partners.csv"
tradein catalogue import "$samples/reference/catalogue.csv"
tradein devices import "$samples/reference/devices.csv"
echo "== nightly run (Prefect flow, temporary local API)"
status=0
tradein nightly --inbox "$samples/inbox" || status=$?
echo "== decisions"
tradein decisions --format table
echo
echo "== scenarios: expected vs. decided"
python -m fixtures check "$samples/expected.json"
exit $status
