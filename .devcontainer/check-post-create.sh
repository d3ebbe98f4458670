#!/usr/bin/env bash
# Checks that the dev container's post-create steps (.devcontainer/post-create.sh) run green as a non-root user with
# passwordless sudo on a fresh home, as in a Codespace, on a Debian machine without Docker. Run as root:
#
#   .devcontainer/check-post-create.sh [--keep] [--pass-env "NAME ..."]
#
# It creates a throwaway user (course-check-<pid>) with passwordless sudo, clones this checkout's committed HEAD into
# its home (no artifacts, no NuGet or npm cache, no kernelspecs), runs post-create.sh there as that user through
# `sudo -u ... -H bash -lc` (so the user's environment is a login shell's, not root's), records the exit code and the
# time, and removes the user, its home and its sudoers file again (--keep leaves them, to look around). What it cannot
# make fresh is the machine itself: Debian packages already installed stay installed (the run's apt log says which it
# installed), and the .NET SDK and Node are the machine's, as the dev container's features provide them.
# --pass-env passes the named variables of the caller's environment on (a proxy, say); by default none is.
#
# CPU-heavy (the native shim and the C# build): on a shared machine wrap it, e.g. `flock /tmp/cpu.lock ...`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
die() { echo "check-post-create: $*" >&2; exit 1; }
say() { echo "check-post-create: $*" >&2; }

keep=0 pass_env=""
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) keep=1 ;;
    --pass-env) [ $# -ge 2 ] || die "--pass-env needs a list of variable names"; pass_env="$2"; shift ;;
    *) die "unknown argument '$1'; usage: $0 [--keep] [--pass-env \"NAME ...\"]" ;;
  esac
  shift
done

[ "$(id -u)" -eq 0 ] || die "run this as root: it creates and removes a user and a sudoers file."
command -v git >/dev/null || die "git is missing; run 'apt-get install git'."
git -C "$ROOT" rev-parse HEAD >/dev/null 2>&1 || die "$ROOT is not a git checkout; the check clones its committed HEAD."
[ -z "$(git -C "$ROOT" status --porcelain)" ] || say "warning: $ROOT has uncommitted changes; the check runs the committed HEAD, without them."
if ! command -v sudo >/dev/null; then
  # the dev container's base image has sudo; a bare Debian may not
  say "installing sudo (apt-get install sudo): the user needs it, as the dev container's user has it"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends sudo >/dev/null \
    || die "could not install sudo with apt-get; install it and run again."
fi

user="course-check-$$"
home="/home/$user"
sudoers="/etc/sudoers.d/$user"
cleanup() {
  if [ $keep -eq 1 ]; then say "kept: user $user, $home, $sudoers (remove with: userdel -r $user; rm $sudoers)"; return; fi
  rm -f "$sudoers"
  if id "$user" >/dev/null 2>&1; then
    # the build servers the run left (MSBuild, Roslyn), then any other process of this throwaway user, by id
    sudo -u "$user" -H bash -lc 'dotnet build-server shutdown' >/dev/null 2>&1 || true
    local pids; pids=$(pgrep -u "$user" || true)
    [ -z "$pids" ] || { kill $pids 2>/dev/null || true; sleep 2; }
    userdel -r "$user" >/dev/null 2>&1 || true
  fi
  rm -rf "$home"
}
trap cleanup EXIT

useradd -m -s /bin/bash "$user" || die "could not create the user $user."
echo "$user ALL=(ALL) NOPASSWD:ALL" >"$sudoers"
chmod 0440 "$sudoers"
visudo -cf "$sudoers" >/dev/null || die "the sudoers file $sudoers is not valid."

head=$(git -C "$ROOT" rev-parse HEAD)
# cloned by root (git refuses to read a repository another user owns) and handed to the user, as a Codespace hands
# the fork's clone to its user
git clone -q --no-hardlinks "$ROOT" "$home/course" || die "could not clone $ROOT into $home/course."
git -C "$home/course" checkout -q "$head"
chown -R "$user:$user" "$home/course"

envs=()
for name in $pass_env; do [ -n "${!name:-}" ] && envs+=("$name=${!name}"); done

say "running .devcontainer/post-create.sh as $user (uid $(id -u "$user"), passwordless sudo) in $home/course at ${head:0:12}"
log="$ROOT/artifacts/check-post-create.log"
mkdir -p "$ROOT/artifacts"
start=$(date +%s)
set +e
sudo -u "$user" -H ${envs[@]+env "${envs[@]}"} bash -lc 'cd ~/course && .devcontainer/post-create.sh' >"$log" 2>&1
rc=$?
set -e
seconds=$(( $(date +%s) - start ))
# the run's own logs, kept before the user's home is removed: artifacts/check-post-create/
keep_logs="$ROOT/artifacts/check-post-create"
rm -rf "$keep_logs"; mkdir -p "$keep_logs"
for f in apt.log npm/npm.log dotnet-build.log dotnet-interactive.log native/cmake.log native/build.log; do
  [ -f "$home/course/artifacts/$f" ] && cp "$home/course/artifacts/$f" "$keep_logs/${f//\//-}"
done
cp "$home"/.npm/_logs/*.log "$keep_logs/" 2>/dev/null || true
tail -20 "$log" >&2

# what green means: post-create exited 0 and the user now has the course's kernelspecs, pointing into its clone
spec="$home/.local/share/jupyter/kernels/csharp-course/kernel.json"
verdict="green"
if [ $rc -ne 0 ]; then verdict="red: post-create.sh exited $rc"
elif [ ! -f "$spec" ]; then verdict="red: post-create.sh exited 0 but $spec is missing"
elif ! grep -q "$home/course" "$spec"; then verdict="red: $spec does not start the kernel of $home/course"
elif [ ! -f "$home/.local/share/jupyter/kernels/csharp-course-interactive/kernel.json" ]; then verdict="red: the .NET Interactive kernelspec is missing"
fi
installed=$(grep -o '^course: installing Debian packages: .*' "$log" || echo "no Debian package installed (apt and sudo were not needed)")
summary="$(date -u +%FT%TZ) ${head:0:12} exit $rc after ${seconds} s as $user: $verdict; $installed (log: artifacts/check-post-create.log, the run's logs: artifacts/check-post-create/)"
say "$summary"
echo "$summary" >>"$ROOT/artifacts/check-post-create.summary"
[ "$verdict" = "green" ]
