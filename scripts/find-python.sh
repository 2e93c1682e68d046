#!/bin/sh
# Print the newest working Python >= 3.12: $PYTHON if set, then PATH, then pyenv's versions.
ok() { "$1" -c 'import sys, venv; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }
if [ -n "${PYTHON:-}" ]; then
  ok "$PYTHON" && { echo "$PYTHON"; exit 0; }
  echo "PYTHON=$PYTHON is not a working Python 3.12 or newer" >&2; exit 1
fi
for name in python3.14 python3.13 python3.12 python3; do
  p=$(command -v "$name" 2>/dev/null) && ok "$p" && { echo "$p"; exit 0; }
done
for p in $(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do
  ok "$p" && { echo "$p"; exit 0; }
done
echo "No Python 3.12 or newer found. On Debian 13: sudo apt-get install python3 python3-venv" >&2
echo "(or set PYTHON=/path/to/python3.12+)" >&2
exit 1
