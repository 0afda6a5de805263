"""A real rsyslog (Debian's rsyslogd, rsyslog-relp, rsyslog-gnutls) for
the tests: its own configuration and work directory, imrelp with TLS on
127.0.0.1, every message written as one JSON line."""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time

from harness import PKI, fail

RSYSLOGD = shutil.which("rsyslogd") or "/usr/sbin/rsyslogd"


class Rsyslog:
    """rsyslogd -n with its own configuration: imrelp with TLS on
    127.0.0.1:port, each message as a JSON line in out.jsonl. Clients are
    checked by name ("certvalid" with GnuTLS checks no chain at all). The main
    queue is direct: a message is written (to the page cache) before its
    RELP response goes, so a SIGKILL loses nothing rsyslog acked."""

    def __init__(self, tmp, port, peers=("alpha", "beta")):
        self.tmp, self.port = tmp, port
        self.out = os.path.join(tmp, "out.jsonl")
        self.conf = os.path.join(tmp, "rsyslog.conf")
        os.makedirs(os.path.join(tmp, "work"), exist_ok=True)
        props = [("host", "hostname"), ("app", "app-name"), ("sev", "syslogseverity"),
                 ("fac", "syslogfacility"), ("procid", "procid"), ("msgid", "msgid"),
                 ("sd", "structured-data"), ("msg", "msg")]
        with open(self.conf, "w") as f:
            f.write('global(workDirectory="%s")\n' % os.path.join(tmp, "work"))
            f.write('main_queue(queue.type="Direct")\n')
            f.write('module(load="imrelp")\n')
            f.write('input(type="imrelp" address="127.0.0.1" port="%d" ruleset="relp" tls="on"\n'
                    '      tls.caCert="%s/client-ca.crt" tls.myCert="%s/collector.crt"\n'
                    '      tls.myPrivKey="%s/collector.key" tls.authMode="name"\n'
                    '      tls.permittedPeer=[%s])\n'
                    % (port, PKI, PKI, PKI, ", ".join('"%s"' % p for p in peers)))
            f.write('template(name="j" type="list" option.jsonf="on") {\n')
            for out, name in props:
                f.write('  property(outname="%s" name="%s" format="jsonf")\n' % (out, name))
            f.write('  property(outname="ts" name="timereported" dateFormat="rfc3339" format="jsonf")\n')
            f.write('}\n')
            f.write('ruleset(name="relp") { action(type="omfile" file="%s" template="j") }\n' % self.out)
        self.start()

    def start(self):
        self.log = open(os.path.join(self.tmp, "rsyslogd.log"), "ab")
        self.proc = subprocess.Popen([RSYSLOGD, "-f", self.conf, "-n", "-i",
                                      os.path.join(self.tmp, "rsyslogd.pid")],
                                     stdout=self.log, stderr=self.log)
        end = time.time() + 10
        while time.time() < end:
            if self.proc.poll() is not None:
                fail("rsyslogd exited %d: %s" % (self.proc.returncode, self.logtext()))
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        fail("rsyslogd never listened on 127.0.0.1:%d" % self.port)

    def logtext(self):
        with open(os.path.join(self.tmp, "rsyslogd.log"), "rb") as f:
            return f.read().decode(errors="replace")

    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()

    def mark(self):
        """From now on, lines() starts here (rsyslog keeps its file open:
        it cannot be removed between the cases)."""
        self.since = len(self.lines(all_=True))

    def lines(self, all_=False):
        """What rsyslog wrote since the mark: dicts, with "boot" and "seq"
        read back from the structured data."""
        if not os.path.exists(self.out):
            return []
        got = []
        with open(self.out, "rb") as f:
            for raw in f:
                l = json.loads(raw.decode("utf-8", errors="replace"))
                m = re.search(r'seq="(\d+)"', l["sd"])
                l["seq"] = int(m.group(1)) if m else None
                m = re.search(r'boot="([^"]*)"', l["sd"])
                l["boot"] = m.group(1) if m else None
                got.append(l)
        return got if all_ else got[getattr(self, "since", 0):]
