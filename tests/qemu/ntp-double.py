# A test double of bad NTP servers on 127.0.0.1 (RFC 5905's packet format),
# for tests/qemu/clock-bad-server. One UDP port per behaviour, printed as
# "NAME PORT" lines on stdout once all are bound; each request is logged as
# "NAME" on its own line to the file given as the argument.
#   garbage:  13 bytes of junk; a 48-byte answer whose origin is not the
#             request's; then a good answer, but from the unsynced port
#   deny:     kiss-o'-death DENY     rate: kiss-o'-death RATE
#   unsynced: a good answer but leap indicator 3 (alarm)
import os, select, socket, struct, sys, time

NTP_UNIX = 2208988800
NAMES = ("garbage", "deny", "rate", "unsynced")


def ts(t):
    return struct.pack(">II", (int(t) + NTP_UNIX) & 0xFFFFFFFF, int((t % 1) * 2**32))


def answer(req, leap=0, stratum=2, refid=b"\x7f\x00\x00\x01", origin=None):
    now = time.time()
    org = req[40:48] if origin is None else origin
    return (bytes([leap << 6 | 4 << 3 | 4, stratum, 6, 0xEC]) + struct.pack(">II", 0x100, 0x100)
            + refid + ts(now - 10) + org + ts(now) + ts(now))


socks = {}
for name in NAMES:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    socks[name] = s
for name in NAMES:
    print(name, socks[name].getsockname()[1], flush=True)
log = open(sys.argv[1], "a", buffering=1)
by_fd = {s.fileno(): n for n, s in socks.items()}
while True:
    ready, _, _ = select.select(list(socks.values()), [], [])
    for s in ready:
        name = by_fd[s.fileno()]
        req, peer = s.recvfrom(512)
        log.write(name + "\n")
        if len(req) < 48:
            continue
        if name == "garbage":
            s.sendto(os.urandom(13), peer)
            s.sendto(answer(req, origin=os.urandom(8)), peer)
            socks["unsynced"].sendto(answer(req), peer)
        elif name == "deny":
            s.sendto(answer(req, leap=3, stratum=0, refid=b"DENY"), peer)
        elif name == "rate":
            s.sendto(answer(req, leap=3, stratum=0, refid=b"RATE"), peer)
        elif name == "unsynced":
            s.sendto(answer(req, leap=3), peer)
