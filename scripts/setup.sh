#!/usr/bin/env bash
# Installs what tradein needs on a Debian machine: tesseract (deu fra eng ita spa nld) with its
# library headers (tesserocr is built against Debian's libtesseract), poppler,
# fonts for the sample documents, Chromium for the browser test of the review UI (driven by
# Playwright from the 'dev' extra; no browser is downloaded), and a Python 3.11 virtual
# environment in .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(tesseract-ocr tesseract-ocr-deu tesseract-ocr-fra tesseract-ocr-eng tesseract-ocr-ita
                 tesseract-ocr-spa tesseract-ocr-nld libtesseract-dev libleptonica-dev pkg-config g++
                 poppler-utils fonts-dejavu-core chromium)

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
"$PYTHON" -c 'import sys; assert sys.version_info[:2] == (3, 11), "tradein needs Python 3.11"' \
  || { echo "setup: Python 3.11 is required (set PYTHON=/path/to/python3.11)" >&2; exit 2; }
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.tradein-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing Python packages"
  .venv/bin/python -m pip install -q --upgrade pip
  # tesserocr from source, so the engine is Debian's tesseract (its PyPI wheels bundle another)
  .venv/bin/python -m pip install -q --no-binary tesserocr -e '.[dev]'
  touch "$stamp"
fi
echo "setup: ready ($(.venv/bin/python --version), $(tesseract --version 2>&1 | head -n1))"
