#!/usr/bin/env bash
# Installs mammofuse's build and test dependencies from Debian's packages.
#   scripts/deps.sh          build + tests (the tests' oracles use Debian's python3 with numpy, sklearn, h5py)
#                            (and chromium: cli.report_chromium renders report.html headless;
#                            slurm-wlm and munge: slurm.one_node starts a one-node SLURM;
#                            procps: the signal tests find the ranks with pgrep)
#   scripts/deps.sh --bench  also python3-torch, for the PyTorch peer in `mammofuse bench`
#   scripts/deps.sh --fuzz   also clang and its libFuzzer runtime, to fuzz the readers (tests/fuzz/README.md;
#                            the corpus replay in ctest needs neither)
set -euo pipefail
pkgs=(build-essential cmake pkg-config xz-utils
      openmpi-bin libopenmpi-dev libhdf5-openmpi-dev libopenblas-dev libyaml-dev libpng-dev
      python3 python3-numpy python3-sklearn python3-h5py chromium
      slurm-wlm munge procps)
[ "${1:-}" = "--bench" ] && pkgs+=(python3-torch)
[ "${1:-}" = "--fuzz" ] && pkgs+=(clang libclang-rt-14-dev)
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "deps: ${#pkgs[@]} packages present"
