#!/usr/bin/env python3
"""Load for the collector (not a test: tests/run skips *.py): one agent
connection sending N log records of about 100 bytes of message, encoded
in advance, as fast as TLS takes them; reports records/s from the first
byte to the ack of the last.

  tests/collector/loadgen.py [N] [collector options...]
starts build/collector with --out in a temp dir (or give --out), e.g.
  tests/collector/loadgen.py 2000000 --fsync never"""
import os
import select
import ssl
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Agent, Collector, cbor, hello, uncbor  # noqa: E402


def records(n):
    out = []
    for i in range(1, n + 1):
        msg = "GET /api/v1/items/%08d 200 1532 bytes in 0.0042 s from 10.0.2.2 (bench line)" % i
        rec = {"seq": i, "t": 1700000000000000000 + i * 1000, "kind": "log", "src": "service",
               "app": "bench", "pid": 1234, "sev": 6, "fac": 3, "msg": msg, "stream": "out"}
        out.append(cbor(rec))
    return out


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
    args = sys.argv[2:]
    t = time.time()
    recs = records(n)
    data = b"".join(recs)
    print("encoded %d records, %d bytes (%.0f per record) in %.1f s" %
          (n, len(data), len(data) / n, time.time() - t), file=sys.stderr)
    c = Collector(*args)
    try:
        a = Agent(c.port, host="bench")
        a.send(hello(host="bench", boot_id="bench-1"))
        # One thread: an SSL socket must not be read and written at once.
        s = a.s
        s.setblocking(False)
        view = memoryview(data)
        t0 = time.time()
        off, t_sent, acked, acks, buf = 0, None, 0, 0, b""
        while acked < n:
            want_w = off < len(data)
            r, w, _ = select.select([s], [s] if want_w else [], [], 60)
            if not r and not w:
                sys.exit("stalled at ack %d" % acked)
            if w:
                try:
                    off += s.send(view[off:off + (1 << 20)])
                except (ssl.SSLWantWriteError, ssl.SSLWantReadError):
                    pass
                if off == len(data) and t_sent is None:
                    t_sent = time.time() - t0
            if r:
                try:
                    chunk = s.recv(65536)
                except (ssl.SSLWantReadError, ssl.SSLWantWriteError):
                    continue
                if not chunk:
                    sys.exit("closed by the collector at ack %d" % acked)
                buf += chunk
                while True:
                    item = uncbor(buf)
                    if item is None:
                        break
                    buf = buf[item[1]:]
                    acked = item[0]["ack"]
                    acks += 1
        dt = time.time() - t0
        with open("/proc/%d/stat" % c.proc.pid) as f:
            st = f.read().rsplit(")", 1)[1].split()
        cpu = (int(st[11]) + int(st[12])) / os.sysconf("SC_CLK_TCK")
        print("%d records in %.2f s: %.0f records/s, %.1f MB/s of CBOR (sent in %.2f s), %d acks; "
              "collector CPU %.2f s (%.2f us/record)" %
              (n, dt, n / dt, len(data) / dt / 1e6, t_sent, acks, cpu, cpu / n * 1e6))
        a.close()
        c.stop()
    finally:
        c.cleanup()


main()
