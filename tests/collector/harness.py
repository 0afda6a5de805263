"""Shared by the collector's end-to-end tests: a real collector process on
127.0.0.1 (ports picked by the kernel, read back from its log), real TLS
clients (Python's ssl module), and CBOR encoded by hand (DESIGN §6)."""

import json
import os
import select
import shutil
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("BUILD", os.path.join(TOP, "build"))
PKI = os.path.join(BUILD, "pki")
COLLECTOR = os.path.join(BUILD, "collector")

# Made once, like make pki does, with a certificate for each host the
# tests' agents say hello as: the collector files records under the
# certificate's host, and refuses a hello that names another.
HOSTS = ("testhost", "other", "sclient", "good", "bad", "slow", "bench", "alpha", "beta")
subprocess.run([os.path.join(TOP, "image", "make-pki"), PKI] +
               [a for h in HOSTS for a in ("--agent", h)], check=True, stdout=subprocess.DEVNULL)


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)
    print("ok: " + msg)


# --- CBOR (RFC 8949), the subset the agent uses -----------------------------

def _head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    for ai, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if n < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | ai]) + struct.pack(fmt, n)
    raise ValueError(n)


def cbor(v):
    if v is None:
        return b"\xf6"
    if v is True:
        return b"\xf5"
    if v is False:
        return b"\xf4"
    if isinstance(v, int):
        return _head(0, v) if v >= 0 else _head(1, -1 - v)
    if isinstance(v, float):
        return b"\xfb" + struct.pack(">d", v)
    if isinstance(v, bytes):
        return _head(2, len(v)) + v
    if isinstance(v, str):
        b = v.encode()
        return _head(3, len(b)) + b
    if isinstance(v, (list, tuple)):
        return _head(4, len(v)) + b"".join(cbor(x) for x in v)
    if isinstance(v, dict):
        return _head(5, len(v)) + b"".join(cbor(k) + cbor(x) for k, x in v.items())
    raise TypeError(type(v))


def uncbor(b, i=0):
    """One item from b at i: (value, next i), or None if incomplete."""
    if i >= len(b):
        return None
    ib = b[i]
    major, ai = ib >> 5, ib & 31
    i += 1
    if ai < 24:
        n = ai
    elif ai <= 27:
        k = 1 << (ai - 24)
        if i + k > len(b):
            return None
        n = int.from_bytes(b[i:i + k], "big")
        i += k
    else:
        raise ValueError("indefinite")
    if major == 0:
        return n, i
    if major == 1:
        return -1 - n, i
    if major in (2, 3):
        if i + n > len(b):
            return None
        s = b[i:i + n]
        return (s if major == 2 else s.decode()), i + n
    if major == 4:
        out = []
        for _ in range(n):
            r = uncbor(b, i)
            if r is None:
                return None
            out.append(r[0])
            i = r[1]
        return out, i
    if major == 5:
        out = {}
        for _ in range(n):
            k = uncbor(b, i)
            if k is None:
                return None
            v = uncbor(b, k[1])
            if v is None:
                return None
            out[k[0]] = v[0]
            i = v[1]
        return out, i
    raise ValueError("major %d" % major)


def hello(host="testhost", boot_id="0f3b1c9e-1d2a-4c5b-8e7f-001122334455"):
    return cbor({"v": 1, "host": host, "boot_id": boot_id, "agent": "test 0",
                 "roothash": "ab" * 32})


def log_record(seq, msg="hello world", t=None):
    return cbor({"seq": seq, "t": t if t is not None else 1700000000000000000 + seq,
                 "kind": "log", "src": "service", "app": "web", "pid": 42, "sev": 6,
                 "fac": 3, "msg": msg})


# --- the collector -------------------------------------------------------

class Collector:
    def __init__(self, *args, out=None, ca=None, jetstream=None):
        if not os.access(COLLECTOR, os.X_OK):
            fail("%s not built" % COLLECTOR)
        self.tmp = tempfile.mkdtemp(prefix="collector-test.")
        self.out = out if out is not None else os.path.join(self.tmp, "out")
        cmd = [COLLECTOR, "--listen", "127.0.0.1:0", "--metrics", "127.0.0.1:0",
               "--client-ca", ca or os.path.join(PKI, "client-ca.crt"),
               "--cert", os.path.join(PKI, "collector.crt"),
               "--key", os.path.join(PKI, "collector.key"),
               ] + (["--jetstream", jetstream] if jetstream else ["--out", self.out]) + list(args)
        # COLLECTOR_WRAP="valgrind -q" or "perf record -o F" runs it under that.
        cmd = os.environ.get("COLLECTOR_WRAP", "").split() + cmd
        self.proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.PIPE)
        self.lines = []
        self.eof = False
        self.cv = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        listen = self.wait_log("listening on ")
        self.port = int(listen.split("listening on 127.0.0.1:")[1].split()[0])
        metrics = self.wait_log("metrics on http://")
        self.http_port = int(metrics.split("127.0.0.1:")[1].split("/")[0])

    def _read(self):
        for line in self.proc.stderr:
            line = line.decode(errors="replace").rstrip("\n")
            sys.stderr.write("  | " + line + "\n")
            with self.cv:
                self.lines.append(line)
                self.cv.notify_all()
        with self.cv:
            self.eof = True
            self.cv.notify_all()

    def wait_log(self, needle, timeout=10, start=0):
        end = time.time() + timeout
        with self.cv:
            while True:
                for line in self.lines[start:]:
                    if needle in line:
                        return line
                left = end - time.time()
                if left <= 0 or self.eof:
                    fail("collector never logged %r" % needle)
                self.cv.wait(min(left, 0.2))

    def count_log(self, needle):
        with self.cv:
            return sum(needle in l for l in self.lines)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                rc = self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                fail("collector did not stop on SIGTERM")
            return rc
        return self.proc.returncode

    def cleanup(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def jsonl(self, host="testhost", boot_id="0f3b1c9e-1d2a-4c5b-8e7f-001122334455"):
        path = os.path.join(self.out, host, boot_id + ".jsonl")
        if not os.path.exists(path):
            return []
        with open(path, encoding="utf-8") as f:
            return [json.loads(l) for l in f]

    def get(self, path):
        s = socket.create_connection(("127.0.0.1", self.http_port), timeout=5)
        s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % path).encode())
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        s.close()
        head, _, body = data.partition(b"\r\n\r\n")
        return head.decode(), body.decode()


def tls_context(cert=True, pki=PKI, host="testhost"):
    """host: whose certificate (agent-HOST), or None for the default one."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(os.path.join(PKI, "server-ca.crt"))
    if cert:
        name = "agent-" + host if host and os.path.exists(
            os.path.join(pki, "agent-%s.crt" % host)) else "agent"
        ctx.load_cert_chain(os.path.join(pki, name + ".crt"), os.path.join(pki, name + ".key"))
    return ctx


class Agent:
    """One TLS connection as an agent makes it, with the certificate of
    host (that the hello must name)."""

    def __init__(self, port, cert=True, pki=PKI, host="testhost"):
        raw = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.s = tls_context(cert, pki, host).wrap_socket(raw, server_hostname="collector")
        self.buf = b""

    def send(self, data):
        self.s.sendall(data)

    def acks(self, until, timeout=10):
        """Reads {"ack": N} items until one has N >= until; returns all N."""
        got = []
        end = time.time() + timeout
        while not got or got[-1] < until:
            r = uncbor(self.buf)
            if r is not None:
                item, i = r
                self.buf = self.buf[i:]
                if not (isinstance(item, dict) and set(item) == {"ack"}):
                    fail("not an ack: %r" % (item,))
                got.append(item["ack"])
                continue
            left = end - time.time()
            if left <= 0:
                fail("no ack >= %d, got %r" % (until, got))
            self.s.settimeout(left)
            try:
                chunk = self.s.recv(65536)
            except socket.timeout:
                fail("no ack >= %d, got %r" % (until, got))
            if not chunk:
                fail("connection closed waiting for ack %d (got %r)" % (until, got))
            self.buf += chunk
        return got

    def closed(self, timeout=10):
        """True once the collector has closed the connection."""
        self.s.settimeout(timeout)
        try:
            while True:
                if not self.s.recv(65536):
                    return True
        except (ssl.SSLError, ConnectionError):
            return True
        except socket.timeout:
            return False

    def close(self):
        try:
            self.s.close()
        except OSError:
            pass
