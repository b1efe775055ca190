#!/usr/bin/env bash
# Checks for what lessonpub's build, tests and demo need, and installs the
# missing Debian packages with apt-get when run as root. Prints exactly what
# is missing and how to install it otherwise.
set -euo pipefail

missing_pkgs=()
problems=()

if ! command -v go >/dev/null 2>&1; then
  if [ -x /usr/local/go/bin/go ]; then
    problems+=("Go is installed in /usr/local/go but not on your PATH: run  export PATH=\$PATH:/usr/local/go/bin")
  else
    problems+=("Go 1.26 or newer is needed: install it from https://go.dev/dl/ or with  apt-get install golang")
  fi
fi
command -v ffmpeg >/dev/null 2>&1 || missing_pkgs+=(ffmpeg)
command -v ffprobe >/dev/null 2>&1 || missing_pkgs+=(ffmpeg)
command -v espeak-ng >/dev/null 2>&1 || missing_pkgs+=(espeak-ng) # speaks the test lessons of captions sync
# No font package: the caption font (DejaVu Sans) is built into lessonpub.

# chromium runs the browser tests of the course site (pipeline/site); they
# skip without it on a developer's machine and fail in CI.
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1 && [ -z "${LESSONPUB_CHROMIUM:-}" ]; then
  if [ "${CI:-}" = true ]; then
    missing_pkgs+=(chromium)
  else
    echo "deps: chromium is not installed, so the browser tests of the course site will skip (sudo apt-get install chromium)" >&2
  fi
fi

if [ ${#missing_pkgs[@]} -gt 0 ]; then
  # unique, in order
  mapfile -t missing_pkgs < <(printf '%s\n' "${missing_pkgs[@]}" | awk '!seen[$0]++')
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "deps: installing ${missing_pkgs[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing_pkgs[@]}"
  else
    problems+=("missing Debian packages: ${missing_pkgs[*]}; install them with:  sudo apt-get install ${missing_pkgs[*]}")
  fi
fi

if command -v ffmpeg >/dev/null 2>&1; then
  v=$(ffmpeg -hide_banner -version | awk 'NR==1{print $3}')
  major=${v%%.*}; rest=${v#*.}; minor=${rest%%[.-]*}
  if [[ "$major" =~ ^[0-9]+$ ]] && { [ "$major" -lt 5 ] || { [ "$major" -eq 5 ] && [ "${minor:-0}" -lt 1 ]; }; }; then
    problems+=("ffmpeg $v is too old: lessonpub needs 5.1 or newer (Debian 12 ships 5.1)")
  fi
  filters=$(ffmpeg -hide_banner -filters 2>/dev/null || true)
  if ! grep -q ' subtitles ' <<<"$filters"; then
    problems+=("this ffmpeg has no 'subtitles' filter (libass): install Debian's ffmpeg package")
  fi
fi

if [ ${#problems[@]} -gt 0 ]; then
  echo "lessonpub cannot build or run yet:" >&2
  for p in "${problems[@]}"; do echo "  - $p" >&2; done
  exit 1
fi
echo "deps: go, ffmpeg $(ffmpeg -hide_banner -version | awk 'NR==1{print $3}'), ffprobe and espeak-ng are present"
