"""Screenshots of the main pages at desktop and phone widths, for the README and for review.

    make screenshots                       # serves the demo site itself on 127.0.0.1:8765
    .venv/bin/python tests/browser/screenshots.py --base-url http://127.0.0.1:8000

Uses Debian's Chromium (/usr/bin/chromium) through Playwright; never downloads a browser.
"""

import argparse
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGES = {
    "home": "/",
    "article": "/articles/north-london-probation-inspection-2016/",
    "inspection": "/inspections/north-of-london-quality-impact-2016/",
}
WIDTHS = {"desktop": 1280, "phone": 390}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def serve_demo(port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": "sqlite:////tmp/oversight-screenshots.sqlite3",
        "MEDIA_ROOT": "/tmp/oversight-screenshots-media",
    }
    python = sys.executable
    for command in (["migrate", "--no-input", "-v0"], ["load_demo", "-v0"]):
        subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(
        [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(50):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("The demo server did not start.")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--full-page", action="store_true")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    server = None if args.base_url else serve_demo(8765)
    base_url = args.base_url or "http://127.0.0.1:8765"
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            for device, width in WIDTHS.items():
                page = browser.new_page(viewport={"width": width, "height": 900})
                for name, path in PAGES.items():
                    response = page.goto(base_url + path)
                    if response is None or response.status != 200:
                        print(f"skipped {path}: {response.status if response else 'no response'}")
                        continue
                    target = out / f"{name}-{device}.png"
                    page.screenshot(path=str(target), full_page=args.full_page)
                    print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
                page.close()
            browser.close()
    finally:
        if server:
            server.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
