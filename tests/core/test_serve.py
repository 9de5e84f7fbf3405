"""`iskra serve` on a site whose static files were never collected (a new app server, a
site restored into a new var folder) collects them first instead of failing every page."""

import os
import signal
import subprocess
import time
import urllib.error
import urllib.request

from tests import sites


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.status, answer.read().decode()


def test_serve_collects_the_static_files_a_new_site_lacks(demo_site, tmp_path):
    folder = sites.copy(demo_site, tmp_path / "site")
    assert not (folder / "static").exists()
    env = sites.site_env(folder, WORKER="off", SCHEDULER="off")
    port = sites.free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [*sites.ISKRA, "serve", "--port", str(port), "--workers", "1"],
            env=env,
            cwd=sites.ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, home = fetch(f"http://127.0.0.1:{port}/ru/")
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        stylesheet = home.split('rel="stylesheet" href="')[1].split('"')[0]
        css_status, css = fetch(f"http://127.0.0.1:{port}{stylesheet}")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    assert status == 200
    assert stylesheet.startswith("/static/core/css/site.") and stylesheet.endswith(".css")
    assert css_status == 200 and "{" in css
    assert f"Collecting the static files into {folder / 'static'}" in log.read_text()
    assert (folder / "static" / "staticfiles.json").exists()
    assert os.listdir(folder / "static" / "core")
