#!/usr/bin/env bash
# The dev container's post-create steps (devcontainer.json's postCreateCommand), in a script of its own so that they can
# be run and checked outside a container (.devcontainer/check-post-create.sh runs it as a fresh non-root user).
#
# Run from anywhere, as the container's user (non-root, with passwordless sudo for the Debian packages):
#   .devcontainer/post-create.sh
# Today it is one step: ./course kernel install, which is ./course setup (the Debian packages through sudo, OpenBLAS as
# the BLAS, the native shim, the C# build, the .NET Interactive tool) and then the Jupyter kernelspecs for this user, so
# VS Code lists "C# (course)" when a notebook is opened.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
die() { echo "post-create: $*" >&2; exit 1; }

[ -x "$ROOT/course" ] || die "$ROOT/course is missing or not executable; run this from a checkout of the course kit."
# missing Debian packages need root or passwordless sudo: ./course says so, naming the packages, when neither is there

start=$(date +%s)
"$ROOT/course" kernel install
echo "post-create: done in $(( $(date +%s) - start )) s; open notebooks/00-getting-started.ipynb and pick the kernel \"C# (course)\"." >&2
