#!/usr/bin/env bash
# Set up everything briefing needs on a Debian machine with Python 3.11:
#   Debian packages (CJK fonts, HarfBuzz subsetting, poppler-utils, Chromium, Hugo, make),
#   then a virtualenv in .venv with the project and its dev dependencies, at the versions
#   pinned in constraints.txt.
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(fonts-noto-cjk libharfbuzz-subset0 poppler-utils chromium hugo make)

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.briefing-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
  echo "setup: installing Python dependencies (pinned by constraints.txt)"
  .venv/bin/python -m pip install -q --upgrade pip
  # The unofficial pure-Python OpenCC installs the same `opencc` module: remove it first.
  if .venv/bin/python -m pip show -q opencc-python-reimplemented >/dev/null 2>&1; then
    .venv/bin/python -m pip uninstall -q -y opencc-python-reimplemented OpenCC
  fi
  .venv/bin/python -m pip install -q -c constraints.txt -e '.[dev]'
  # Wheels of every runtime dependency, for the clean-virtualenv test (tests/test_packaging.py),
  # which installs the built wheel with --no-index from here.
  rm -rf .venv/wheelhouse
  .venv/bin/python -m pip wheel -q -c constraints.txt -w .venv/wheelhouse .
  rm -f .venv/wheelhouse/briefing-*.whl
  rm -rf build
  touch "$stamp"
fi
