#!/usr/bin/env python3
"""Load for the collector (not a test: tests/run skips *.py): one agent
connection sending N log records of about 100 bytes of message, encoded
in advance, as fast as TLS takes them; reports records/s from the first
byte to the ack of the last.

  tests/collector/loadgen.py [N] [collector options...]
starts build/collector with --out in a temp dir (or give --out), e.g.
  tests/collector/loadgen.py 2000000 --fsync never"""
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Agent, Collector, cbor, hello  # noqa: E402


def records(n):
    head = None
    out = []
    for i in range(1, n + 1):
        msg = "GET /api/v1/items/%08d 200 1532 bytes in 0.0042 s from 10.0.2.2 (bench line)" % i
        rec = {"seq": i, "t": 1700000000000000000 + i * 1000, "kind": "log", "src": "service",
               "app": "bench", "pid": 1234, "sev": 6, "fac": 3, "msg": msg, "stream": "out"}
        out.append(cbor(rec))
        head = head or len(out[0])
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
        a = Agent(c.port)
        a.send(hello(host="bench", boot_id="bench-1"))
        done = {}

        def reader():
            done["acks"] = a.acks(n, timeout=600)
            done["t"] = time.time()

        th = threading.Thread(target=reader)
        t0 = time.time()
        th.start()
        step = 1 << 20
        for i in range(0, len(data), step):
            a.s.sendall(data[i:i + step])
        t_sent = time.time() - t0
        th.join()
        dt = done["t"] - t0
        print("%d records in %.2f s: %.0f records/s, %.1f MB/s of CBOR (sent in %.2f s), %d acks" %
              (n, dt, n / dt, len(data) / dt / 1e6, t_sent, len(done["acks"])))
        a.close()
        c.stop()
    finally:
        c.cleanup()


main()
