"""Shared by the fleet tests (DESIGN §7, fleet tier): collectors with
--jetstream, sinks, a guest under QEMU, and the few JetStream API requests
a test makes itself (stream info, consumer delete) over a raw NATS
connection. Everything real, on 127.0.0.1; every wait bounded."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "collector"))  # harness, prom, agent_metrics
from harness import BUILD, COLLECTOR, PKI, TOP, Collector, check, fail  # noqa: E402,F401
from nats_cluster import Cluster, free_port  # noqa: E402,F401


class Proc:
    """A process whose stderr is kept, line by line, and echoed indented."""

    def __init__(self, cmd, tag):
        self.tag = tag
        self.lines = []
        self.cv = threading.Condition()
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stderr:
            line = line.decode(errors="replace").rstrip("\n")
            sys.stderr.write("  %s| %s\n" % (self.tag, line))
            with self.cv:
                self.lines.append(line)
                self.cv.notify_all()
        with self.cv:
            self.lines.append(None)
            self.cv.notify_all()

    def wait_log(self, needle, timeout=30, start=0):
        deadline = time.monotonic() + timeout
        with self.cv:
            while True:
                for i in range(start, len(self.lines)):
                    if self.lines[i] is None:
                        fail("%s exited (%s) before saying %r" % (self.tag, self.proc.wait(), needle))
                    if needle in self.lines[i]:
                        return self.lines[i]
                left = deadline - time.monotonic()
                if left <= 0:
                    fail("%s did not say %r within %d s" % (self.tag, needle, timeout))
                self.cv.wait(left)

    def count_log(self, needle):
        with self.cv:
            return sum(1 for l in self.lines if l and needle in l)

    def exit_code(self, timeout=15):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            fail("%s still running after %d s" % (self.tag, timeout))

    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def collector(urls, port=0, tag="collector", *args):
    """A collector in fleet mode on 127.0.0.1:port (0: any)."""
    cmd = [COLLECTOR, "--listen", "127.0.0.1:%d" % port, "--metrics", "off",
           "--client-ca", os.path.join(PKI, "client-ca.crt"),
           "--cert", os.path.join(PKI, "collector.crt"),
           "--key", os.path.join(PKI, "collector.key"), "--jetstream", urls] + list(args)
    p = Proc(cmd, tag)
    line = p.wait_log("listening on ")
    p.port = int(line.split("listening on 127.0.0.1:")[1].split()[0])
    return p


def sink(kind, urls, *args, tag=None, ready=True):
    p = Proc([COLLECTOR, "sink", kind, "--jetstream", urls] + list(args), tag or "sink-" + kind)
    if ready:
        p.wait_log("consuming ")
    return p


def jsonl(out):
    """Every line the files sink wrote under out, parsed."""
    recs = []
    for host in sorted(os.listdir(out)) if os.path.isdir(out) else []:
        for f in sorted(os.listdir(os.path.join(out, host))):
            with open(os.path.join(out, host, f)) as fh:
                recs += [json.loads(l) for l in fh]
    return recs


def wait_for(what, cond, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = cond()
        if v:
            return v
        time.sleep(0.2)
    fail("%s: not within %d s" % (what, timeout))


# --- the JetStream API, by hand (NATS client protocol) -----------------------

def js_request(url, subject, payload=b"", timeout=5):
    """One request-reply to the JetStream API; the reply parsed as JSON."""
    host, port = url.split("//")[1].split(",")[0].rsplit(":", 1)
    s = socket.create_connection((host, int(port)), timeout)
    f = s.makefile("rb")
    f.readline()  # INFO
    inbox = "_INBOX.fleettest%d" % os.getpid()
    s.sendall(b'CONNECT {"verbose":false,"headers":true,"no_responders":true}\r\n'
              b"SUB " + inbox.encode() + b" 1\r\nPUB " + subject.encode() + b" " +
              inbox.encode() + b" %d\r\n" % len(payload) + payload + b"\r\nPING\r\n")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = f.readline()
        if line.startswith(b"PING"):
            s.sendall(b"PONG\r\n")
        elif line.startswith(b"MSG ") or line.startswith(b"HMSG "):
            parts = line.split()
            size = int(parts[-1])
            body = f.read(size + 2)[:size]
            if line.startswith(b"HMSG "):
                body = body[int(parts[-2]):]
            s.close()
            return json.loads(body) if body else {}
    s.close()
    fail("no reply to %s" % subject)


def stream_info(url):
    return js_request(url, "$JS.API.STREAM.INFO.STELE")


def consumer_delete(url, name):
    return js_request(url, "$JS.API.CONSUMER.DELETE.STELE." + name)


def tmpdir(name):
    base = os.path.join(BUILD, "tmp")
    os.makedirs(base, exist_ok=True)
    return tempfile.mkdtemp(prefix=name + ".", dir=base)
