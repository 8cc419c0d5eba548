#!/usr/bin/env bash
# Prepares a data folder for mammofuse (MAMMOFUSE_DATA) from the shared one:
# unpacks the MIAS archive (checking SHA256SUMS) and links the released ROIs,
# golden values and weights.  usage: scripts/unpack-mias.sh [SHARED_DATA] [DEST]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
exec bash "$here/tests/fixtures/prepare_data.sh" "${1:-$here/../shared/data}" "${2:-$here/data}"
