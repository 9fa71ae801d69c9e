#!/usr/bin/env bash
# Chromium for the browser tests (tests/e2e): Debian's own `chromium` package plus CJK fonts, driven by
# Playwright with executable_path=$(which chromium). Never `playwright install` (it downloads).
# Idempotent: installs only when `chromium` is not on PATH, then prints the version.
#   services/chromium.sh
set -euo pipefail

if ! command -v chromium >/dev/null 2>&1; then
  echo "chromium: installing the Debian packages chromium and fonts-noto-cjk ..." >&2
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi

command -v chromium >/dev/null 2>&1 || { echo "chromium: not on PATH after install" >&2; exit 1; }
# --version must not need a display; a failure here means the install is broken.
chromium --headless=new --no-sandbox --version 2>/dev/null || chromium --version
