"""Debian's Chromium for the browser tests (Playwright drives it; `make test` installs it when missing)."""
import shutil

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
MISSING = "Debian's chromium is not installed: run `make test` (it installs it) or apt-get install chromium"
