"""The scale-out setup, run as a whole on loopback and put under faults.

Starts a PostgreSQL server and a Redis server of its own (so that stopping them touches
nothing else on the machine), the local Telegram Bot API, two ``iskra serve`` app servers
(each with its background worker and scheduler) sharing one var folder, and nginx as the
load balancer in front of them; loads the demo; and shows:

1. a publish through app server A's admin is served by app server B at once (the page
   cache's generation is shared through Redis);
2. the Telegram post of that article is sent once, with workers on both servers;
3. app server A killed under load (wrk through nginx): what failed during the switch;
4. PostgreSQL restarted under load: readers get Iskra's 503 page while it is down (a page
   the cache holds is still served), the servers recover by themselves, nothing is lost;
5. Redis stopped: pages still serve (from the database, slower) and recover when it
   returns;
6. throughput through nginx with one and with two app servers.

Run: ``.venv/bin/python bench/cluster.py`` (needs nginx, wrk, PostgreSQL's server binaries
and redis-server: ``apt-get install nginx wrk postgresql redis-server``). Everything listens
on 127.0.0.1 only and is stopped at the end, also on failure. The figures are printed and
written to bench/out/cluster.json; docs/benchmarks.md has a run's figures.
"""

import argparse
import contextlib
import glob
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import lxml.html

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
WORK = Path("/tmp/iskra-cluster")
ISKRA = str(Path(sys.executable).with_name("iskra"))
sys.path.insert(0, str(ROOT / "src"))

from iskra.telegram import local_bot_api  # noqa: E402  (after the path is set)

SETUP = """
from wagtail.models import Site
from iskra.news.models import ArticlePage, SectionPage
from iskra.telegram.models import TelegramSettings
options = TelegramSettings.for_site(Site.objects.get(is_default_site=True))
options.is_posting_enabled = True
options.channel_ru = "@iskra_ru"
options.channel_kk = "@iskra_kk"
options.save()
section = SectionPage.objects.get(slug="news", locale__language_code="ru")
draft = ArticlePage(title="Черновик для кластера", slug="cluster-draft",
                    lead="Проверка публикации через два сервера.", is_crossposted=True)
section.add_child(instance=draft)
draft.save_revision()
draft.unpublish()
from django.contrib.auth import get_user_model
get_user_model().objects.create_superuser("cluster", "cluster@example.kz", "cluster-pass-1")
print(draft.pk, section.url)
"""
COUNT = """
from wagtail.models import Page, Revision
from iskra.news.models import ArticlePage
print(Page.objects.count(), Revision.objects.count(), ArticlePage.objects.live().count())
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(check, what, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if check():
                return
        time.sleep(0.3)
    raise RuntimeError(f"{what} did not come up within {timeout} s")


def get(url, timeout=10):
    """(status, body) of a GET; errors are answers too."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError as error:
        return None, str(error).encode()


class Cluster:
    def __init__(self):
        shutil.rmtree(WORK, ignore_errors=True)
        (WORK / "var").mkdir(parents=True)
        OUT.mkdir(parents=True, exist_ok=True)
        self.ports = {name: free_port() for name in ("pg", "redis", "bot", "a", "b", "nginx")}
        self.processes = {}
        self.bot = None

    # -- the parts ------------------------------------------------------------------
    def env(self):
        return {
            **os.environ,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{self.ports['pg']}/iskra",
            "REDIS_URL": f"redis://127.0.0.1:{self.ports['redis']}/0",
            "ISKRA_VAR_DIR": str(WORK / "var"),
            "TELEGRAM_API_URL": f"http://127.0.0.1:{self.ports['bot']}",
            "TELEGRAM_BOT_TOKEN": local_bot_api.TOKEN,
            "TWO_FACTOR": "off",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "BEHIND_PROXY": "1",
            "WORKER_INTERVAL": "0.5",
            "LOG_LEVEL": "ERROR",
            "DJANGO_SETTINGS_MODULE": "iskra.settings.base",
        }

    def iskra(self, *command, code=None):
        args = [ISKRA, *command] if code is None else [sys.executable, "-c", code]
        if code is not None:
            args[2] = "import django; django.setup()\n" + code
        result = subprocess.run(args, env=self.env(), capture_output=True, text=True)
        if result.returncode:
            raise RuntimeError(f"{command or 'python'}: {result.stdout}{result.stderr}")
        return result.stdout

    def start_postgres(self):
        binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
        data = WORK / "pg"
        data.mkdir()
        shutil.chown(data, "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.pg_ctl = [*as_postgres, f"{binaries}/pg_ctl", "-D", str(data), "-w", "-s"]
        subprocess.run(
            [
                *as_postgres,
                f"{binaries}/initdb",
                "-D",
                str(data),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
            ],
            check=True,
            capture_output=True,
        )
        options = f"-p {self.ports['pg']} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.pg_start = [*self.pg_ctl, "-o", options, "-l", str(data / "log"), "start"]
        subprocess.run(self.pg_start, check=True)
        subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.ports["pg"]),
                "-U",
                "postgres",
                "-q",
                "-c",
                "CREATE DATABASE iskra",
            ],
            check=True,
        )

    def start_redis(self):
        self.processes["redis"] = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.ports["redis"]),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for(lambda: socket.create_connection(("127.0.0.1", self.ports["redis"])), "Redis")

    def start_bot_api(self):
        self.bot, _, self.stop_bot = local_bot_api.serve(port=self.ports["bot"])

    def start_app(self, name):
        log = (WORK / f"{name}.log").open("w")
        self.processes[name] = subprocess.Popen(
            [ISKRA, "serve", "--port", str(self.ports[name]), "--workers", "2"],
            env=self.env(),
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        wait_for(lambda: get(self.url(name, "/healthz"))[0] == 200, f"app server {name}")

    def kill(self, name):
        process = self.processes.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def start_nginx(self):
        root = WORK / "nginx"
        (root / "tmp").mkdir(parents=True)
        upstream = "\n".join(
            # As deploy/nginx/iskra.conf: a failed server is skipped for 10 s.
            f"    server 127.0.0.1:{self.ports[name]} max_fails=1 fail_timeout=10s;"
            for name in ("a", "b")
        )
        (root / "nginx.conf").write_text(f"""
worker_processes 2;
pid {root}/nginx.pid;
error_log {root}/error.log;
{"user root;" if os.geteuid() == 0 else ""}
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {root}/tmp;
  proxy_temp_path {root}/tmp;
  fastcgi_temp_path {root}/tmp;
  uwsgi_temp_path {root}/tmp;
  scgi_temp_path {root}/tmp;
  upstream iskra {{
{upstream}
    keepalive 16;
  }}
  server {{
    listen 127.0.0.1:{self.ports["nginx"]};
    location / {{
      proxy_pass http://iskra;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Real-IP $remote_addr;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_connect_timeout 1s;
      proxy_next_upstream error timeout http_502;
    }}
  }}
}}
""")
        subprocess.run(["nginx", "-c", str(root / "nginx.conf"), "-p", str(root)], check=True)
        self.nginx_root = root

    def url(self, name, path):
        return f"http://127.0.0.1:{self.ports[name]}{path}"

    def stop(self):
        for name in list(self.processes):
            process = self.processes.pop(name)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM) if name in (
                    "a",
                    "b",
                ) else process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=15)
            with contextlib.suppress(ProcessLookupError):
                process.kill()
        if hasattr(self, "nginx_root"):
            subprocess.run(
                [
                    "nginx",
                    "-c",
                    str(self.nginx_root / "nginx.conf"),
                    "-p",
                    str(self.nginx_root),
                    "-s",
                    "stop",
                ],
                check=False,
            )
        if hasattr(self, "pg_ctl"):
            subprocess.run([*self.pg_ctl, "-m", "immediate", "stop"], check=False)
        if self.bot is not None:
            self.stop_bot()


UNIQUE = """
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", wrk.path .. "&n=" .. counter .. "-" .. math.random(1000000000))
end
"""


def wrk(url, duration, connections=16, unique=False):
    """wrk's figures, with its failures: socket errors and non-2xx/3xx answers. With
    ``unique`` every request's query differs, so none is answered from the page cache."""
    script = []
    if unique:
        (WORK / "unique.lua").write_text(UNIQUE)
        script = ["-s", str(WORK / "unique.lua")]
    text = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{int(duration)}s", "--latency", *script, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    requests = int(re.search(r"(\d+) requests in", text).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text
    )
    return {
        "requests": requests,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sum(map(int, errors.groups())) if errors else 0,
    }


def under_load(url, duration, fault, at):
    """Run wrk for ``duration`` s and call ``fault()`` ``at`` s in; wrk's figures and what
    ``fault`` returned. A URL with a query is asked with a new query each time."""
    found = {}
    timer = threading.Timer(at, lambda: found.update(fault=fault()))
    timer.start()
    try:
        figures = wrk(url, duration, unique="?" in url)
    finally:
        timer.join()
    return figures, found.get("fault")


def publish_through_admin(base, page_id):
    """Log in to ``base``'s admin and publish the page there; return the seconds the
    publish took to answer."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def form_of(url):
        with opener.open(url, timeout=30) as response:
            return lxml.html.fromstring(response.read(), base_url=response.url)

    login = form_of(base + "/admin/login/").forms[0]
    fields = dict(login.form_values())
    fields.update(username="cluster", password="cluster-pass-1")  # noqa: S106  (its own site)
    opener.open(base + "/admin/login/", urllib.parse.urlencode(fields).encode(), timeout=30)
    # The explorer's "Publish" action (the editor's own form is built by its scripts).
    action = f"{base}/admin/bulk/wagtailcore/page/publish/?id={page_id}&next=/admin/"
    form = form_of(action).forms[-1]
    fields = form.form_values()
    started = time.perf_counter()
    with opener.open(action, urllib.parse.urlencode(fields).encode(), timeout=60) as response:
        response.read()
    return time.perf_counter() - started


def run(args):
    cluster = Cluster()
    figures = {}
    try:
        cluster.start_postgres()
        cluster.start_redis()
        cluster.start_bot_api()
        cluster.iskra("migrate", "--noinput", "-v0")
        cluster.iskra("collectstatic", "--noinput", "-v0")
        cluster.iskra("demo")
        draft_id, section_url = cluster.iskra(code=SETUP).split()
        cluster.start_app("a")
        cluster.start_app("b")
        cluster.start_nginx()
        nginx = cluster.url("nginx", "")
        print("cluster up:", json.dumps(cluster.ports))

        # 1. A publish through A is served by B at once.
        status, before = get(cluster.url("b", section_url))  # B now holds the listing
        assert status == 200, (status, before[:2000])
        assert "Черновик для кластера".encode() not in before
        figures["publish_seconds"] = round(publish_through_admin(cluster.url("a", ""), draft_id), 3)
        status, after = get(cluster.url("b", section_url))
        figures["publish_seen_on_b"] = status == 200 and "Черновик для кластера".encode() in after
        print("1. published through A, seen on B at once:", figures["publish_seen_on_b"])

        # 2. Sent to Telegram once, with both servers' workers polling.
        wait_for(
            lambda: cluster.bot.calls("sendPhoto") or cluster.bot.calls("sendMessage"),
            "the Telegram post",
            timeout=60,
        )
        time.sleep(5)  # both workers have polled many times since
        sent = len(cluster.bot.calls("sendPhoto")) + len(cluster.bot.calls("sendMessage"))
        figures["telegram_posts_sent"] = sent
        print("2. Telegram posts sent for one publish:", sent)

        target = nginx + section_url
        get(target)

        # 3. A killed under load.
        load, _ = under_load(target, args.duration, lambda: cluster.kill("a"), args.duration / 3)
        figures["kill_a"] = load
        print("3. A killed under load:", load)
        cluster.start_app("a")

        # 4. PostgreSQL restarted under load.
        pages_before = cluster.iskra(code=COUNT).split()
        uncached = nginx + "/ru/search/?q=%D1%81%D1%8A%D0%B5%D0%B7%D0%B4"

        def restart_postgres():
            subprocess.run([*cluster.pg_ctl, "-m", "fast", "stop"], check=True)
            time.sleep(0.5)
            down = get(f"{uncached}&n={time.time_ns()}"), get(target)
            time.sleep(args.duration / 4)
            subprocess.run(cluster.pg_start, check=True)
            return down

        load, down = under_load(uncached, args.duration, restart_postgres, args.duration / 4)
        (search_status, search_body), (cached_status, _) = down
        recovered = time.monotonic()
        wait_for(
            lambda: get(f"{uncached}&n={time.time_ns()}")[0] == 200,
            "the site after PostgreSQL's restart",
        )
        figures["postgres_restart"] = {
            **load,
            "uncached_page_while_down": search_status,
            "iskra_503_page": "Сайт ненадолго недоступен".encode() in search_body
            and b"Traceback" not in search_body,
            "cached_page_while_down": cached_status,
            "seconds_to_recover_after_start": round(time.monotonic() - recovered, 2),
            "pages_revisions_live_articles_kept": cluster.iskra(code=COUNT).split() == pages_before,
        }
        print("4. PostgreSQL restarted under load (search, uncached):", figures["postgres_restart"])

        # 5. Redis stopped, then back.
        with_redis = wrk(target, args.duration)
        cluster.processes.pop("redis").terminate()
        time.sleep(1)
        without = wrk(target, args.duration)
        cluster.start_redis()
        time.sleep(2)
        back = wrk(target, args.duration)
        figures["redis"] = {"with": with_redis, "stopped": without, "back": back}
        print("5. Redis: with", with_redis["rps"], "stopped", without["rps"], "back", back["rps"])

        # 6. Throughput with two app servers and with one.
        two = wrk(target, args.duration, connections=32)
        two_uncached = wrk(uncached, args.duration, connections=32, unique=True)
        cluster.kill("b")
        time.sleep(1)
        get(target)
        one = wrk(target, args.duration, connections=32)
        one_uncached = wrk(uncached, args.duration, connections=32, unique=True)
        figures["throughput"] = {
            "cached_page": {"two_servers": two, "one_server": one},
            "search_uncached": {"two_servers": two_uncached, "one_server": one_uncached},
        }
        print("6. through nginx, cached page: two servers", two["rps"], "one", one["rps"])
        print("   search (uncached): two", two_uncached["rps"], "one", one_uncached["rps"])
    finally:
        cluster.stop()
    (OUT / "cluster.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=12, help="seconds of each wrk run")
    args = parser.parse_args()
    print(json.dumps(run(args), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
