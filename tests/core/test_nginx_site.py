"""The committed nginx site (deploy/nginx/iskra.conf), run by real nginx in front of
`iskra serve`: HTTP goes to HTTPS but /healthz, TLS ends at nginx and the app sees HTTPS,
static and media files come from disk, pages carry HSTS and DENY framing, and anonymous
readers get the pages of the static copy (MIRROR_DIR) from disk."""

import http.client
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import sites

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "iskra.conf"
ISKRA = [sys.executable, "-m", "iskra.cli"]
HOST = "example.org"

pytestmark = [
    pytest.mark.skipif(
        not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists())
        or not shutil.which("openssl"),
        reason="nginx and openssl are needed (apt-get install nginx openssl)",
    ),
    # A site of its own on SQLite: nothing here depends on the suite's database engine.
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="runs in the SQLite run (its site does not use the suite's database)",
    ),
]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def nginx_binary():
    return shutil.which("nginx") or "/usr/sbin/nginx"


def site_config(var, ports, cert, key, mirror):
    """The committed site with this test's addresses, paths and certificate."""
    text = SITE.read_text()
    replacements = {
        "listen [::]:80;\n": "",
        "listen [::]:443 ssl http2;\n": "",
        "listen 80;": f"listen 127.0.0.1:{ports['http']};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{ports['https']} ssl http2;",
        "return 301 https://$host$request_uri;": (
            f"return 301 https://$host:{ports['https']}$request_uri;"
        ),
        "/etc/letsencrypt/live/example.org/fullchain.pem": str(cert),
        "/etc/letsencrypt/live/example.org/privkey.pem": str(key),
        "/srv/iskra/var/": f"{var}/",
        "/srv/iskra/mirror": str(mirror),
        "server 127.0.0.1:8000": f"server 127.0.0.1:{ports['app']}",
    }
    for old, new in replacements.items():
        assert old in text, f"{old!r} is no longer in {SITE.name}: update this test"
        text = text.replace(old, new)
    return text


def request(port, path, *, tls, cookie=None):
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate
        connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Host": HOST, **({"Cookie": cookie} if cookie else {})}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


@pytest.fixture
def site(demo_site, tmp_path):
    var = sites.copy(demo_site, tmp_path / "var")
    ports = {"app": free_port(), "http": free_port(), "https": free_port()}
    env = {
        **os.environ,
        "ISKRA_VAR_DIR": str(var),
        "DATABASE_URL": f"sqlite:///{var / 'site.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "iskra.settings.base",
        "PYTHONPATH": str(ROOT),
        "HTTPS": "1",
        "BEHIND_PROXY": "1",
        "SERVE_MEDIA": "0",
        "WORKER": "off",
        "SCHEDULER": "off",
        "WEB_CONCURRENCY": "1",
        "ALLOWED_HOSTS": HOST,
        "HOST": "127.0.0.1",
        "PORT": str(ports["app"]),
    }
    env.pop("REDIS_URL", None)
    subprocess.run(
        [*ISKRA, "collectstatic", "--noinput", "-v0"],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    mirror = tmp_path / "mirror"
    subprocess.run(
        [*ISKRA, "export-mirror", str(mirror)],
        env={**env, "BASE_URL": f"https://{HOST}"},
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    (var / "media" / "documents").mkdir(parents=True, exist_ok=True)
    (var / "media" / "documents" / "charter.txt").write_text("Устав")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            f"/CN={HOST}",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    nginx_root = tmp_path / "nginx"
    (nginx_root / "spool").mkdir(parents=True)
    (nginx_root / "iskra.conf").write_text(site_config(var, ports, cert, key, mirror))
    (nginx_root / "nginx.conf").write_text(
        # Running as root, nginx's workers would be "nobody", who cannot read the test's
        # private temporary folder.
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"""
daemon off;
worker_processes 1;
pid {nginx_root}/nginx.pid;
error_log {nginx_root}/error.log;
events {{ worker_connections 256; }}
http {{
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path {nginx_root}/spool;
  proxy_temp_path {nginx_root}/spool;
  fastcgi_temp_path {nginx_root}/spool;
  uwsgi_temp_path {nginx_root}/spool;
  scgi_temp_path {nginx_root}/spool;
  include {nginx_root}/iskra.conf;
}}
"""
    )
    app = subprocess.Popen(
        [*ISKRA, "serve"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    nginx = subprocess.Popen(
        [nginx_binary(), "-c", str(nginx_root / "nginx.conf"), "-p", str(nginx_root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if request(ports["http"], "/healthz", tls=False)[0] in (200, 503):
                    break
            except OSError:
                pass
            assert nginx.poll() is None, nginx.stderr.read().decode()
            assert time.monotonic() < deadline, "the site did not come up through nginx"
            time.sleep(0.2)
        yield ports, var
    finally:
        for process in (nginx, app):
            os.killpg(process.pid, 15)
            process.wait(timeout=20)


def test_the_nginx_site_serves_iskra_over_https_with_static_files_from_disk(site):
    ports, var = site

    # Plain HTTP: to HTTPS, but the health check.
    status, headers, _ = request(ports["http"], "/ru/", tls=False)
    assert status == 301 and headers["location"] == f"https://{HOST}:{ports['https']}/ru/"
    status, _, body = request(ports["http"], "/healthz", tls=False)
    assert status == 200 and json.loads(body)["database"]["ok"] is True

    # HTTPS ends at nginx; the app sees it (X-Forwarded-Proto), so no redirect loop.
    status, headers, body = request(ports["https"], "/admin/login/", tls=True)
    assert status == 200 and b"csrfmiddlewaretoken" in body
    assert headers["strict-transport-security"].startswith("max-age=31536000")
    assert headers["x-frame-options"] == "DENY"
    assert "secure" in headers.get("set-cookie", "").lower()

    # Static files: the hashed names collectstatic wrote, from disk, cached for a year.
    manifest = json.loads((var / "static" / "staticfiles.json").read_text())
    hashed = manifest["paths"]["core/css/site.css"]
    status, headers, body = request(ports["https"], f"/static/{hashed}", tls=True)
    assert status == 200 and headers["server"].startswith("nginx")
    assert "immutable" in headers["cache-control"] and "x-frame-options" not in headers
    assert body == (var / "static" / hashed).read_bytes()

    # Media files: from disk too (SERVE_MEDIA=0 on the app).
    status, headers, body = request(ports["https"], "/media/documents/charter.txt", tls=True)
    assert status == 200 and body.decode() == "Устав"
    assert headers["x-content-type-options"] == "nosniff"


def test_anonymous_readers_get_the_baked_copy_and_the_rest_goes_to_the_app(site):
    ports, _var = site

    # An article: the copy's file, with the headers the app would send.
    status, headers, body = request(ports["https"], "/ru/news/", tls=True)
    assert status == 200 and headers["x-iskra-cache"] == "baked"
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers["x-frame-options"] == "DENY"
    assert headers["content-security-policy"] == "frame-ancestors 'none'"
    html = body.decode()
    assert '<meta http-equiv="Content-Security-Policy" content="default-src' in html
    assert 'href="../../static/core/css/site.' in html  # relative: the same file anywhere

    # An editor (a session cookie), a query string: the app.
    status, headers, body = request(
        ports["https"], "/ru/news/", tls=True, cookie="sessionid=not-a-session"
    )
    assert status == 200 and headers.get("x-iskra-cache") != "baked"
    assert 'href="/static/core/css/site.' in body.decode()
    status, headers, _ = request(ports["https"], "/ru/news/?page=1", tls=True)
    assert status == 200 and headers.get("x-iskra-cache") != "baked"

    # The copy's own versions of the join and search pages are not for the site's readers.
    status, headers, body = request(ports["https"], "/ru/join/", tls=True)
    assert status == 200 and headers.get("x-iskra-cache") != "baked"
    assert 'class="application-form"' in body.decode()
    status, headers, body = request(ports["https"], "/ru/search/", tls=True)
    assert status == 200 and 'id="static-search"' not in body.decode()

    # The root: the app chooses the reader's language.
    status, headers, _ = request(ports["https"], "/", tls=True)
    assert status == 302 and headers["location"].endswith("/ru/")
