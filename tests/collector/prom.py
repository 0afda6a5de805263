"""A real Prometheus (Debian's prometheus) for the tests: its own
configuration and data directory, on 127.0.0.1, scraping one target every
second with honor_labels: true, as the README says to; queries through
its HTTP API. Every wait is bounded."""
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

from harness import fail

PROMETHEUS = shutil.which("prometheus") or fail("prometheus not installed (make packages)")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def get(port, path, timeout=5):
    with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path), timeout=timeout) as r:
        return r.status, r.read().decode()


class Prometheus:
    """One prometheus process scraping target every second. The port is
    free when picked but may be taken before prometheus binds it: then it
    exits at once, and another is tried."""

    def __init__(self, target, tmp):
        self.proc = None
        self.log = os.path.join(tmp, "prometheus.log")
        conf = os.path.join(tmp, "prometheus.yml")
        with open(conf, "w") as f:
            f.write("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                    "  evaluation_interval: 1s\n"
                    "scrape_configs:\n  - job_name: stele\n    honor_labels: true\n"
                    "    static_configs:\n      - targets: ['%s']\n" % target)
        for _ in range(3):
            self.port = free_port()
            with open(self.log, "ab") as log:
                self.proc = subprocess.Popen(
                    [PROMETHEUS, "--config.file=" + conf,
                     "--storage.tsdb.path=" + os.path.join(tmp, "data"),
                     "--web.listen-address=127.0.0.1:%d" % self.port],
                    stdout=log, stderr=subprocess.STDOUT, cwd=tmp)
            if self.ready(30):
                return
            if self.proc.poll() is None:
                break
        self.dump()
        fail("prometheus never became ready")

    def ready(self, timeout):
        end = time.time() + timeout
        while time.time() < end and self.proc.poll() is None:
            try:
                if get(self.port, "/-/ready", timeout=2)[0] == 200:
                    return True
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        return False

    def query(self, q):
        status, body = get(self.port, "/api/v1/query?query=" + urllib.parse.quote(q))
        r = json.loads(body)
        if status != 200 or r.get("status") != "success":
            fail("query %s: %s" % (q, body[:300]))
        return r["data"]["result"]

    def dump(self):
        try:
            with open(self.log, errors="replace") as f:
                for line in f.read().splitlines()[-30:]:
                    sys.stderr.write("  prometheus| " + line + "\n")
        except OSError:
            pass

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
