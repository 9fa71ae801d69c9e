#!/usr/bin/env bash
# GNU gettext (xgettext, msgmerge, msgfmt) for the translation catalogs: `manage.py makemessages` and
# `compilemessages` call these programs, and tests/i18n/test_catalog.py runs makemessages to prove the
# English catalog covers every string in the code. Debian's package `gettext`; installed only when missing.
#   services/gettext.sh
# The site itself needs none of it: the compiled catalog (locale/*/LC_MESSAGES/django.mo) is committed.
set -euo pipefail

if ! command -v xgettext >/dev/null 2>&1 || ! command -v msgmerge >/dev/null 2>&1; then
  echo "gettext: installing the Debian package gettext ..." >&2
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends gettext >/dev/null
fi

command -v xgettext >/dev/null 2>&1 || { echo "gettext: xgettext not on PATH after install" >&2; exit 1; }
xgettext --version | head -1
