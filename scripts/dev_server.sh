#!/usr/bin/env bash
# `make run`: migrate the SQLite development database, add demo data the first time, print the demo
# logins and serve the site on http://127.0.0.1:8000 (settings config.settings.dev, manage.py's default).
set -euo pipefail
cd "$(dirname "$0")/.."

python=.venv/bin/python
first_run=false
# A missing or empty file means the database has never been migrated: this is the first run.
if [ ! -s db.sqlite3 ]; then
  first_run=true
fi

"$python" manage.py migrate --no-input
if [ "$first_run" = true ]; then
  "$python" manage.py demo_data
fi
"$python" manage.py demo_data --logins
exec "$python" manage.py runserver 127.0.0.1:8000
