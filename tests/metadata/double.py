#!/usr/bin/env python3
"""A host-side double of AWS's and GCE's instance metadata servers, for the
QEMU scenarios (loopback only). It follows the documented flows strictly:

  AWS, IMDSv2 required: PUT /latest/api/token with
      X-aws-ec2-metadata-token-ttl-seconds (1-21600) gives a token; every
      GET under /latest/ wants X-aws-ec2-metadata-token: missing, unknown or
      past its TTL -> 401. X-Forwarded-For -> 403 (IMDS refuses proxies).
  GCE: every GET under /computeMetadata/v1/ wants Metadata-Flavor: Google,
      else 403; X-Forwarded-For -> 403; replies carry Metadata-Flavor.

  double.py serve DIR [MODE]  serve DIR/user-data (AWS) and DIR/attribute
                              (GCE) on 127.0.0.1, port in DIR/port, one line
                              per request in DIR/requests. MODE: ok, oversize
                              (a 100 KiB body), slow (the body one byte per
                              half second). While DIR/stale-next exists, the
                              next token is issued past its TTL (as if the
                              guest had paused before using it) and the file
                              is removed
  double.py relay PORT        QEMU guestfwd's cmd: one guest connection,
                              stdin/stdout, relayed to 127.0.0.1:PORT
  double.py check PORT        exit 0 if the double refuses what it must
"""
import http.client
import http.server
import os
import secrets
import select
import socket
import sys
import threading
import time

TOKENS = {}
LOCK = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    server_version = "metadata-double"

    def log_message(self, fmt, *args):
        pass

    def note(self, what):
        with LOCK, open(os.path.join(self.server.dir, "requests"), "a") as f:
            f.write("%s %s %s\n" % (self.command, self.path, what))

    def reply(self, code, body=b"", headers=()):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def body_of(self, name):
        try:
            with open(os.path.join(self.server.dir, name), "rb") as f:
                return f.read()
        except FileNotFoundError:
            return None

    def data(self, name, headers=()):
        mode = self.server.mode
        if mode == "oversize":
            return self.reply(200, b"x" * 102400, headers)
        body = self.body_of(name)
        if body is None:
            return self.reply(404, b"not found\n", headers)
        if mode == "slow":
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.flush()
            try:
                for i in range(len(body)):
                    self.wfile.write(body[i:i + 1])
                    self.wfile.flush()
                    time.sleep(0.5)
            except OSError:
                self.note("client gave up")
            return
        return self.reply(200, body, headers)

    def do_PUT(self):
        if self.headers.get("X-Forwarded-For"):
            self.note("forwarded: 403")
            return self.reply(403)
        if self.path != "/latest/api/token":
            self.note("404")
            return self.reply(404)
        ttl = self.headers.get("X-aws-ec2-metadata-token-ttl-seconds", "")
        if not ttl.isdigit() or not 1 <= int(ttl) <= 21600:
            self.note("ttl %r: 400" % ttl)
            return self.reply(400)
        token = secrets.token_urlsafe(40)
        stale_next = os.path.join(self.server.dir, "stale-next")
        with LOCK:
            stale = os.path.exists(stale_next)
            if stale:
                os.unlink(stale_next)
            TOKENS[token] = time.monotonic() + (0 if stale else int(ttl))
        self.note("ttl %s: token" % ttl)
        self.reply(200, token.encode(), [("X-aws-ec2-metadata-token-ttl-seconds", ttl)])

    def do_GET(self):
        if self.headers.get("X-Forwarded-For"):
            self.note("forwarded: 403")
            return self.reply(403)
        if self.path.startswith("/latest/"):
            token = self.headers.get("X-aws-ec2-metadata-token")
            with LOCK:
                expiry = TOKENS.get(token) if token else None
            if expiry is None or time.monotonic() >= expiry:
                why = "no token" if not token else "unknown token" if expiry is None else "expired token"
                self.note(why + ": 401")
                return self.reply(401)
            self.note("token ok")
            if self.path != "/latest/user-data":
                return self.reply(404)
            return self.data("user-data")
        if self.path.startswith("/computeMetadata/v1/"):
            flavor = [("Metadata-Flavor", "Google")]
            if self.headers.get("Metadata-Flavor") != "Google":
                self.note("no Metadata-Flavor: 403")
                return self.reply(403, b"", flavor)
            self.note("flavor ok")
            if self.path != "/computeMetadata/v1/instance/attributes/stele-credentials":
                return self.reply(404, b"", flavor)
            return self.data("attribute", flavor)
        self.note("404")
        self.reply(404)


def serve(directory, mode="ok"):
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.dir, srv.mode = directory, mode
    with open(os.path.join(directory, "port.tmp"), "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(os.path.join(directory, "port.tmp"), os.path.join(directory, "port"))
    srv.serve_forever()


def relay(port):
    guest = socket.socket(fileno=os.dup(0))
    up = socket.create_connection(("127.0.0.1", int(port)), timeout=10)
    up.settimeout(None)
    open_ends = {guest: up, up: guest}
    while open_ends:
        ready, _, _ = select.select(list(open_ends), [], [], 120)
        if not ready:
            break
        for s in ready:
            data = s.recv(65536)
            if data:
                open_ends[s].sendall(data)
                continue
            try:
                open_ends[s].shutdown(socket.SHUT_WR)
            except OSError:
                pass
            del open_ends[s]


def check(port):
    def ask(method, path, headers):
        c = http.client.HTTPConnection("127.0.0.1", int(port), timeout=10)
        c.request(method, path, headers=headers)
        r = c.getresponse()
        body = r.read()
        c.close()
        return r.status, body

    fails = []
    st, _ = ask("GET", "/latest/user-data", {})
    if st != 401:
        fails.append("GET without a token: %d, want 401" % st)
    st, tok = ask("PUT", "/latest/api/token", {"X-aws-ec2-metadata-token-ttl-seconds": "1"})
    if st != 200:
        fails.append("PUT token: %d, want 200" % st)
    time.sleep(1.5)  # past the TTL of 1 s asked for
    st, _ = ask("GET", "/latest/user-data", {"X-aws-ec2-metadata-token": tok.decode()})
    if st != 401:
        fails.append("GET with a token past its TTL: %d, want 401" % st)
    st, _ = ask("GET", "/computeMetadata/v1/instance/attributes/stele-credentials", {})
    if st != 403:
        fails.append("GCE GET without Metadata-Flavor: %d, want 403" % st)
    for f in fails:
        print("double: " + f, file=sys.stderr)
    return 1 if fails else 0


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "serve":
        serve(*args)
    elif cmd == "relay":
        relay(*args)
    elif cmd == "check":
        sys.exit(check(*args))
    else:
        sys.exit(__doc__)
