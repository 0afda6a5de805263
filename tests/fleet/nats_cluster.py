"""A real nats-server JetStream cluster on 127.0.0.1 for tests (stdlib only).

    with Cluster(3, tmp) as c:      # writes configs, starts every node
        c.wait_ready(20)            # meta leader elected, every node current
        url = c.urls()              # "nats://127.0.0.1:P1,nats://127.0.0.1:P2,..."
        c.kill(1); c.start(1); c.wait_ready(20)

Ports are picked free once (a bind test, below the ephemeral range, never
twice in one process) and kept for the life of the Cluster, so a restarted node comes back on the same ports
with the same store dir. Every wait is bounded; a timeout raises
ClusterError naming the node and quoting the tail of its log. Leaving the
with block, normally or by an exception, SIGKILLs every node still running.
n=1 runs a single JetStream server with no cluster block."""

import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

NATS_SERVER = os.environ.get("NATS_SERVER", "nats-server")
CLUSTER_NAME = "stele"
LOG_TAIL = 20


class ClusterError(Exception):
    pass


_taken = set()


def _ephemeral_low():
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free_port():
    """A port free on 127.0.0.1 now, below the kernel's ephemeral range:
    a port bind(0) hands out can be taken a moment later by some outgoing
    connection (a node's own routes), then the node cannot listen on it."""
    low = _ephemeral_low()
    rng = random.Random()
    for _ in range(200):
        port = rng.randrange(10000, low) if low > 11000 else 0
        if port in _taken:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            port = s.getsockname()[1]
        _taken.add(port)
        return port
    raise ClusterError("no free port found on 127.0.0.1")


def _tail(path, n=LOG_TAIL):
    try:
        with open(path, "rb") as f:
            lines = f.read().decode(errors="replace").splitlines()
    except OSError as e:
        return "(no log: %s)" % e
    return "\n".join("    " + ln for ln in lines[-n:])


def _get_json(port, path, timeout=1.0):
    """(HTTP status, parsed body or None); (None, reason) if unreachable."""
    url = "http://127.0.0.1:%d%s" % (port, path)
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        try:
            return e.code, json.loads(e.read() or b"null")
        except ValueError:
            return e.code, None
    except (OSError, ValueError) as e:
        return None, str(e)


class Node:
    def __init__(self, i, tmp, name):
        self.i = i
        self.name = name
        self.dir = os.path.join(tmp, name)
        self.store = os.path.join(self.dir, "js")
        self.conf = os.path.join(self.dir, "nats.conf")
        self.log = os.path.join(self.dir, "nats.log")
        self.port = free_port()
        self.http = free_port()
        self.cport = free_port()
        self.proc = None

    def running(self):
        return self.proc is not None and self.proc.poll() is None


class Cluster:
    def __init__(self, n=3, tmp=None, name=CLUSTER_NAME, extra=""):
        """n nodes under tmp (a directory the caller owns and removes).
        extra: config text appended to every node's file."""
        if n < 1:
            raise ValueError("n must be at least 1")
        if tmp is None:
            raise ValueError("Cluster needs a tmp directory")
        self.name = name
        self.nodes = [Node(i, tmp, "n%d" % (i + 1)) for i in range(n)]
        for node in self.nodes:
            os.makedirs(node.store, exist_ok=True)
            with open(node.conf, "w") as f:
                f.write(self._config(node, extra))

    def _config(self, node, extra):
        c = ["server_name: %s" % node.name,
             "listen: 127.0.0.1:%d" % node.port,
             "http: 127.0.0.1:%d" % node.http,
             "jetstream {", '  store_dir: "%s"' % node.store, "}"]
        if len(self.nodes) > 1:
            routes = ",\n".join("    nats-route://127.0.0.1:%d" % o.cport
                                for o in self.nodes if o is not node)
            c += ["cluster {", "  name: %s" % self.name,
                  "  listen: 127.0.0.1:%d" % node.cport,
                  "  routes: [", routes, "  ]", "}"]
        return "\n".join(c) + "\n" + extra + "\n"

    # --- processes -----------------------------------------------------------

    def start(self, i=None):
        """Start node i (every node not running if i is None)."""
        for node in self.nodes if i is None else [self.nodes[i]]:
            if node.running():
                continue
            logf = open(node.log, "ab")
            try:
                node.proc = subprocess.Popen(
                    [NATS_SERVER, "-c", node.conf], stdin=subprocess.DEVNULL,
                    stdout=logf, stderr=subprocess.STDOUT)
            finally:
                logf.close()
        return self

    def kill(self, i):
        """SIGKILL node i and reap it."""
        node = self.nodes[i]
        if node.running():
            node.proc.kill()
        if node.proc is not None:
            node.proc.wait()
            node.proc = None

    def stop(self, i, timeout=10.0):
        """SIGTERM node i and wait for it (SIGKILL past timeout: an error)."""
        node = self.nodes[i]
        if node.proc is None:
            return
        if node.running():
            node.proc.send_signal(signal.SIGTERM)
        try:
            node.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill(i)
            raise ClusterError("%s did not stop within %.0f s of SIGTERM; killed\n%s"
                               % (node.name, timeout, _tail(node.log)))
        node.proc = None

    def stop_all(self, timeout=10.0):
        """SIGTERM every node, then wait; nodes still up past timeout are killed."""
        for node in self.nodes:
            if node.running():
                node.proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for node in self.nodes:
            if node.proc is None:
                continue
            try:
                node.proc.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                node.proc.kill()
                node.proc.wait()
            node.proc = None

    def kill_all(self):
        for i in range(len(self.nodes)):
            self.kill(i)

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.kill_all()
            raise

    def __exit__(self, *exc):
        self.kill_all()
        return False

    # --- addresses -----------------------------------------------------------

    def urls(self, nodes=None):
        """Client URLs, comma-separated, of every node (or of the indices given)."""
        pick = self.nodes if nodes is None else [self.nodes[i] for i in nodes]
        return ",".join("nats://127.0.0.1:%d" % n.port for n in pick)

    def log(self, i):
        return self.nodes[i].log

    # --- readiness -----------------------------------------------------------

    def node_state(self, i):
        """Why node i is not ready yet, or None if it is: its /healthz
        answers ok (JetStream enabled, then every stream and consumer
        current) and its /jsz knows a meta leader."""
        node = self.nodes[i]
        if not node.running():
            return "not running (exit %s)" % (node.proc.returncode if node.proc else "-")
        # 2.9.10 knows js-enabled-only (and js-server-only); healthz without
        # them also checks that every stream and consumer is current.
        st, body = _get_json(node.http, "/healthz?js-enabled-only=true")
        if st != 200:
            return "healthz: %s %s" % (st, body)
        st, body = _get_json(node.http, "/healthz")
        if st != 200:
            return "healthz: %s %s" % (st, body)
        if len(self.nodes) == 1:
            return None
        st, jsz = _get_json(node.http, "/jsz")
        if st != 200 or not isinstance(jsz, dict):
            return "jsz: %s %s" % (st, jsz)
        if not (jsz.get("meta_cluster") or {}).get("leader"):
            return "no meta leader yet"
        return None

    def meta_leader(self):
        for node in self.nodes:
            if node.running():
                st, jsz = _get_json(node.http, "/jsz")
                if st == 200 and isinstance(jsz, dict):
                    leader = (jsz.get("meta_cluster") or {}).get("leader")
                    if leader:
                        return leader
        return None

    def wait_ready(self, timeout=30.0, nodes=None):
        """Until every node (or the indices given, e.g. the ones left after
        a kill) is ready and the meta leader lists each of them current, at
        most timeout seconds; returns the seconds it took. A listed node not
        running, or the timeout, raises ClusterError with each node's reason
        and the tail of the first unready node's log."""
        t0 = time.monotonic()
        pick = range(len(self.nodes)) if nodes is None else nodes
        while True:
            why = {i: self.node_state(i) for i in pick}
            bad = {i: w for i, w in why.items() if w is not None}
            if not bad:
                if len(self.nodes) > 1 and not self._leader_sees_all(pick):
                    bad = {-1: "meta leader does not list every node as current"}
                else:
                    return time.monotonic() - t0
            dead = [i for i in bad if i >= 0 and not self.nodes[i].running()]
            if dead or time.monotonic() - t0 > timeout:
                i = dead[0] if dead else next(iter(k for k in bad if k >= 0), 0)
                lines = "\n".join("  %s: %s" % (self.nodes[k].name if k >= 0 else "cluster", w)
                                  for k, w in bad.items())
                raise ClusterError("nats cluster not ready after %.1f s:\n%s\n%s log (%s):\n%s"
                                   % (time.monotonic() - t0, lines, self.nodes[i].name,
                                      self.nodes[i].log, _tail(self.nodes[i].log)))
            time.sleep(0.1)

    def _leader_sees_all(self, pick):
        """The meta leader's own /jsz lists every other picked node current."""
        leader = self.meta_leader()
        node = next((n for n in self.nodes if n.name == leader), None)
        if node is None or not node.running():
            return False
        st, jsz = _get_json(node.http, "/jsz")
        if st != 200 or not isinstance(jsz, dict):
            return False
        reps = {r.get("name"): r for r in (jsz.get("meta_cluster") or {}).get("replicas") or []}
        for i in pick:
            other = self.nodes[i]
            if other is node:
                continue
            r = reps.get(other.name)
            if r is None or not r.get("current") or r.get("offline"):
                return False
        return True


def _selftest():
    import tempfile
    tmp = tempfile.mkdtemp(prefix="nats-cluster-", dir=os.environ.get("TMPDIR"))
    try:
        t0 = time.monotonic()
        with Cluster(3, tmp) as c:
            print("nats_cluster: 3 nodes started, urls %s" % c.urls())
            print("nats_cluster: ready in %.2f s, meta leader %s" % (c.wait_ready(30), c.meta_leader()))
            c.kill(1)
            print("nats_cluster: n2 killed, the other two ready in %.2f s"
                  % c.wait_ready(30, nodes=[0, 2]))
            c.start(1)
            print("nats_cluster: n2 restarted, ready again in %.2f s" % c.wait_ready(30))
            t = time.monotonic()
            c.stop(0)
            print("nats_cluster: n1 stopped (SIGTERM) in %.2f s" % (time.monotonic() - t))
            c.start(0)
            print("nats_cluster: n1 restarted, ready again in %.2f s, meta leader %s"
                  % (c.wait_ready(30), c.meta_leader()))
        with Cluster(1, os.path.join(tmp, "single")) as s:
            print("nats_cluster: 1 node ready in %.2f s at %s" % (s.wait_ready(15), s.urls()))
        print("nats_cluster: self-test passed in %.2f s" % (time.monotonic() - t0))
    finally:
        import shutil
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(_selftest())
