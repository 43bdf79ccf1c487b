# Run inside a fresh network namespace (unshare -n, lo up). Closes TCP connections in three ways and
# prints what the kernel did, as JSON: the peer's error, TIME_WAIT sockets left, TcpExt counters.
import errno, json, socket, struct, subprocess, sys, time

N = 3

def counters():
    lines = open("/proc/net/netstat").read().splitlines()
    for names, values in zip(lines[0::2], lines[1::2]):
        if names.startswith("TcpExt:"):
            return dict(zip(names.split()[1:], map(int, values.split()[1:])))
    return {}

def time_wait():
    out = subprocess.run(["ss", "-tanH", "state", "time-wait"], capture_output=True, text=True, timeout=10).stdout
    return len([l for l in out.splitlines() if l.strip()])

def pair(listener):
    c = socket.create_connection(listener.getsockname(), timeout=5)
    s, _ = listener.accept()
    s.settimeout(5)
    return s, c

def close_test(linger, unread=False):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    before = counters()
    errors = []
    for _ in range(N):
        server, client = pair(listener)
        server.sendall(b"response")
        client.recv(8)                      # the peer read everything
        if unread:
            client.sendall(b"request")      # … but this side leaves the peer's bytes unread
            time.sleep(0.05)
        if linger is not None:
            server.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, linger))
        server.close()                      # the server closes first
        try:
            data = client.recv(16)
            errors.append("eof" if data == b"" else "data")
        except OSError as e:
            errors.append(errno.errorcode.get(e.errno, str(e.errno)))
        client.close()
    time.sleep(0.2)
    after = counters()
    listener.close()
    return {"peer": errors, "time_wait": time_wait(),
            "abort_on_data": after.get("TCPAbortOnData", 0) - before.get("TCPAbortOnData", 0),
            "abort_on_close": after.get("TCPAbortOnClose", 0) - before.get("TCPAbortOnClose", 0)}

def blocking_linger(seconds, nonblocking):
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    client = socket.socket()
    client.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    client.connect(listener.getsockname())
    server, _ = listener.accept()           # the server never reads
    client.setblocking(False)
    sent = 0
    try:
        while sent < 64 * 1024 * 1024:
            sent += client.send(b"x" * 65536)
    except BlockingIOError:
        pass
    client.setblocking(not nonblocking)
    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, seconds))
    start = time.monotonic()
    result = "ok"
    try:
        client.close()
    except OSError as e:
        result = errno.errorcode.get(e.errno, str(e.errno))
    elapsed = time.monotonic() - start
    server.close()
    listener.close()
    return {"seconds": seconds, "nonblocking": nonblocking, "elapsed": elapsed, "close": result, "queued": sent}

def int_sized_linger():
    s = socket.socket()
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, 1)
        return "ok"
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e.errno))
    finally:
        s.close()

print(json.dumps({
    "abortive": close_test(0),
    "graceful": close_test(None),
    "abortive_unread": close_test(0, unread=True),
    "blocking": blocking_linger(2, False),
    "blocking_nonblocking": blocking_linger(2, True),
    "int_sized": int_sized_linger(),
}))
