"""A guest under QEMU for the fleet scenarios (tests/qemu/fleet-*): the
test image, booted in the background with image/qemu, its console in a
file; like tests/qemu/lib.sh's boot_bg. image: another image dir."""

import os
import subprocess
import time

from fleet import BUILD, TOP, fail

IMAGE = os.environ.get("TEST_IMAGE", os.path.join(BUILD, "test-image"))


class Guest:
    def __init__(self, tmp, name, append, timeout=240, image=IMAGE):
        if not os.path.exists(os.path.join(image, "disk.raw")):
            fail("%s/disk.raw missing: make qemu-tests builds it" % image)
        self.console = os.path.join(tmp, name + ".console")
        open(self.console, "w").close()
        self.stderr = open(os.path.join(tmp, name + ".stderr"), "wb")
        self.proc = subprocess.Popen(
            [os.path.join(TOP, "image", "qemu"), "--image", image, "--serial", self.console,
             "--timeout", str(timeout), "--net", "user", "--append", append],
            stdin=subprocess.DEVNULL, stdout=self.stderr, stderr=subprocess.STDOUT)

    def console_tail(self, n=20):
        with open(self.console, errors="replace") as f:
            return "".join(f.readlines()[-n:])

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.stderr.close()


def ticks_verdict(recs, boot_host, n):
    """None if the ticker's n ticks are there once each and the boot's
    seq runs 1..N without gaps; else what is wrong."""
    mine = [r for r in recs if r["host"] == boot_host]
    boots = {r["boot_id"] for r in mine}
    if len(boots) != 1:
        return "want one boot of host %s, found %d" % (boot_host, len(boots))
    ticks = [r["msg"] for r in mine if r.get("app") == "ticker" and
             str(r.get("msg", "")).startswith("ticker: tick ")]
    want = ["ticker: tick %d" % i for i in range(1, n + 1)]
    if sorted(ticks, key=lambda m: int(m.split()[-1])) != want:
        missing = sorted(set(want) - set(ticks), key=lambda m: int(m.split()[-1]))
        return "ticks: %d missing (%s...), %d duplicated" % (len(missing), missing[:3],
                                                            len(ticks) - len(set(ticks)))
    seqs = sorted(r["seq"] for r in mine)
    if seqs != list(range(1, len(seqs) + 1)):
        dup = len(seqs) - len(set(seqs))
        gaps = sorted(set(range(1, seqs[-1] + 1)) - set(seqs))
        return "seq not 1..%d: %d repeated, gaps at %s" % (len(seqs), dup, gaps[:5])
    return None


def wait_until(what, cond, timeout, guest=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        if guest and guest.proc.poll() is not None:
            fail("%s: the guest exited (%s) first; console:\n%s" % (what, guest.proc.returncode,
                                                                   guest.console_tail()))
        time.sleep(0.5)
    fail("%s: not within %d s%s" % (what, timeout,
                                     "; console:\n" + guest.console_tail() if guest else ""))
