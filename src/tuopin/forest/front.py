"""The flash front: one event-loop process per machine in front of gunicorn (ADR 0013, "The
flash front").

A flash opening is thousands of the same small request a second. Behind gunicorn each one
still cost ~1 ms of Python (its HTTP parsing, a thread per request under one GIL, a batcher per
worker), more than two cores allow at 2,000 a second. The front takes the public address
itself. On each new connection it reads requests while they are flash adoptions it fully
understands (``POST /api/v1/forest/projects/<slug>/adoptions``, HTTP/1.1, a bearer token, a
small body with a length, none of the headers that change how a request is read), decides
them through the flash door's own halves (:meth:`door.FlashDoor.take` and ``answer``: the
same checks, middleware, schema and error shape) and the machine's one
:class:`flash.Batcher`, and writes the answers in order.

At the first request it does not take (any other path, a cookie, a chunked body, a token no
active user holds, a head it cannot read), the connection becomes a byte relay to gunicorn
for the rest of its life: everything from that request's first byte on goes to gunicorn
unchanged and every byte back comes back unchanged, so uploads, streamed downloads and
keep-alive work as before, and gunicorn's own parser decides what is valid. The relay opens
with a PROXY protocol line, so Django sees the client's address (login throttling), and
connects from 127.0.0.1 only for a client that ``TUOPIN_FORWARDED_ALLOW_IPS`` trusts (from
127.0.0.2 otherwise), so gunicorn trusts ``X-Forwarded-*`` headers from the same peers as
without the front.
"""

from __future__ import annotations

import asyncio
import collections
import email.utils
import io
import ipaddress
import logging
import re
import threading
import time
from typing import Any, cast

from django.http import HttpRequest, HttpResponse

from . import door, flash

logger = logging.getLogger(__name__)

HEAD_MOST = 8192  # a longer head is not a flash adoption: gunicorn reads it
KEEP_ALIVE = 75.0  # seconds an idle connection (or a head still arriving) is kept
UPSTREAM_WAIT = 15.0  # seconds to wait for gunicorn to listen (it starts beside the front)
TRUSTED_FROM, UNTRUSTED_FROM = "127.0.0.1", "127.0.0.2"

REQUEST_LINE = re.compile(
    rb"POST (/api/v1/forest/projects/[A-Za-z0-9_-]{1,100}/adoptions) HTTP/1\.1"
)
NAME = re.compile(rb"[!#$%&'*+.^`|~0-9A-Za-z-]+")  # a token without "_", as gunicorn takes
# Headers that change how the request is framed or read, or carry a session: gunicorn's.
NOT_OURS = frozenset(
    {b"transfer-encoding", b"expect", b"upgrade", b"cookie", b"te", b"trailer", b"http2-settings"}
)
SCHEME_HEADERS = {  # gunicorn's secure_scheme_headers
    "HTTP_X_FORWARDED_PROTOCOL": "ssl",
    "HTTP_X_FORWARDED_PROTO": "https",
    "HTTP_X_FORWARDED_SSL": "on",
}


class Front:
    """What every connection shares: the door's halves, the batcher, where gunicorn is."""

    def __init__(
        self,
        upstream: tuple[str, int],
        *,
        batcher: flash.Batcher | None = None,
        trusted: str = "127.0.0.1",
        proxy_protocol: bool = True,
    ) -> None:
        self.upstream = upstream
        # A batcher of its own (one committer per front; two in one front halved the
        # batches and cost more CPU: ADR 0013).
        self.door = door.FlashDoor(_no_app, batcher or flash.Batcher())
        self.batcher = self.door.batcher
        self.proxy_protocol = proxy_protocol
        self.trust_all = "*" in trusted.split(",")
        self.trusted = [
            ipaddress.ip_network(a.strip())
            for a in trusted.split(",")
            if a.strip() not in ("", "*")
        ]

    def trusts(self, address: str) -> bool:
        if self.trust_all:
            return True
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in net for net in self.trusted)

    async def serve(self, host: str, port: int) -> asyncio.Server:
        self.loop = asyncio.get_running_loop()
        self._heard: collections.deque[tuple[Any, ...]] = collections.deque()
        self._woken = False
        self._lock = threading.Lock()
        return await self.loop.create_server(
            lambda: _Client(self), host, port, backlog=4096, reuse_port=True
        )

    def hear(self, *decided: Any) -> None:
        """From the batcher's thread: one decided adoption. The loop is woken once for all
        that arrive before it runs (one wake-up a batch, not one an adoption)."""
        with self._lock:
            self._heard.append(decided)
            wake, self._woken = not self._woken, True
        if wake:
            self.loop.call_soon_threadsafe(self._drain)

    def _drain(self) -> None:
        with self._lock:
            heard, self._heard = self._heard, collections.deque()
            self._woken = False
        for client, *rest in heard:
            client.decided(*rest)


def _no_app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    raise AssertionError("the front relays what the door does not take")


class _Client(asyncio.Protocol):
    """One client connection: flash adoptions answered here until the first request that is
    not one, then a relay to gunicorn (module docstring)."""

    def __init__(self, front: Front) -> None:
        self.front = front
        self.buf = bytearray()
        self.busy = False  # an adoption is with the batcher; its answer comes first
        self.relay: _Upstream | None = None
        self.relaying = False
        self.eof = False
        self.closed = False
        self.idle: asyncio.TimerHandle | None = None
        self.opening: asyncio.Task[None] | None = None  # held: the loop keeps only weak refs

    # -- the connection ------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass
        self.peer = transport.get_extra_info("peername") or ("", 0)
        self.sock = transport.get_extra_info("sockname") or ("", 0)
        self.loop = asyncio.get_running_loop()
        self.trusted = self.front.trusts(str(self.peer[0]))
        self._wait_idle()

    def data_received(self, data: bytes) -> None:
        if self.relaying:
            if self.relay is not None and self.relay.transport is not None:
                self.relay.transport.write(data)
            else:
                self.buf += data
            return
        self.buf += data
        if not self.busy:
            self._next()

    def eof_received(self) -> bool:
        self.eof = True
        if self.relaying:
            if self.relay is not None and self.relay.transport is not None:
                self.relay.transport.write_eof()
            return True  # the answers still come back
        return self.busy  # an answer still to write: then close

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self.idle is not None:
            self.idle.cancel()
        if self.relay is not None and self.relay.transport is not None:
            self.relay.transport.close()

    def pause_writing(self) -> None:
        if self.relay is not None and self.relay.transport is not None:
            self.relay.transport.pause_reading()

    def resume_writing(self) -> None:
        if self.relay is not None and self.relay.transport is not None:
            self.relay.transport.resume_reading()

    def _wait_idle(self) -> None:
        if self.idle is not None:
            self.idle.cancel()
        self.idle = self.loop.call_later(KEEP_ALIVE, self._idle)

    def _idle(self) -> None:
        if not self.busy and not self.relaying:
            self.transport.close()

    # -- flash adoptions -----------------------------------------------------------------
    def _next(self) -> None:
        """Take the next whole request from the buffer, or leave the connection to gunicorn."""
        if not self.buf:
            if self.eof:
                self.transport.close()
            else:
                self._wait_idle()
            return
        end = self.buf.find(b"\r\n\r\n", 0, HEAD_MOST)
        if end < 0:
            if len(self.buf) >= HEAD_MOST or self.eof:
                self._onward()
            return
        head = bytes(self.buf[:end])
        environ = _environ(head, self.peer, self.sock, self.trusted)
        if environ is None or "HTTP_HOST" not in environ:
            self._onward()
            return
        whole = end + 4 + int(environ["CONTENT_LENGTH"])
        if len(self.buf) < whole:
            if self.eof:
                self._onward()
            return
        raw = bytes(self.buf[:whole])
        environ["wsgi.input"] = io.BytesIO(raw[end + 4 :])
        taken = self.front.door.take(environ)
        if taken is None:
            self._onward()
            return
        del self.buf[:whole]
        request, ask = taken
        close = environ.get("HTTP_CONNECTION", "").lower() == "close"
        self.busy = True
        if self.idle is not None:
            self.idle.cancel()
        self.transport.pause_reading()  # the next request waits in the socket meanwhile

        def then(outcome: flash.Outcome | None, error: BaseException | None) -> None:
            self.front.hear(self, request, raw, close, outcome, error)

        self.front.batcher.submit(ask, then)

    def decided(
        self,
        request: HttpRequest,
        raw: bytes,
        close: bool,
        outcome: flash.Outcome | None,
        error: BaseException | None,
    ) -> None:
        self.busy = False
        if self.closed:
            return
        if error is not None or outcome is None:
            exc = error if isinstance(error, Exception) else RuntimeError("flash batcher")
            response: HttpResponse | None = self.front.door.failed(request, exc)
        else:
            response = self.front.door.answer(request, outcome)
        if response is None:  # Django answers it (the token names no active user)
            self.buf[:0] = raw
            self._onward()
            return
        self.transport.write(_response_bytes(response, close))
        if close:
            self.transport.close()
            return
        self.transport.resume_reading()
        self._next()

    # -- the relay -----------------------------------------------------------------------
    def _onward(self) -> None:
        self.relaying = True
        if self.idle is not None:
            self.idle.cancel()
        self.transport.resume_reading()
        self.opening = self.loop.create_task(self._open_upstream())

    async def _open_upstream(self) -> None:
        source = (TRUSTED_FROM if self.trusted else UNTRUSTED_FROM, 0)
        deadline = self.loop.time() + UPSTREAM_WAIT
        while True:
            try:
                await self.loop.create_connection(
                    lambda: _Upstream(self), *self.front.upstream, local_addr=source
                )
                break
            except OSError:
                if self.closed:
                    return
                if self.loop.time() > deadline:
                    logger.error(
                        "flash front: gunicorn at %s:%s does not answer", *self.front.upstream
                    )
                    self.transport.write(BAD_GATEWAY)
                    self.transport.close()
                    return
                await asyncio.sleep(0.2)

    def upstream_ready(self, relay: _Upstream) -> None:
        self.relay = relay
        assert relay.transport is not None
        if self.closed:
            relay.transport.close()
            return
        first = _proxy_line(self.peer, self.sock) if self.front.proxy_protocol else b""
        relay.transport.write(first + bytes(self.buf))
        self.buf.clear()
        if self.eof:
            relay.transport.write_eof()


class _Upstream(asyncio.Protocol):
    """The gunicorn side of a relayed connection: bytes back to the client, unchanged."""

    def __init__(self, client: _Client) -> None:
        self.client = client
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)
        self.client.upstream_ready(self)

    def data_received(self, data: bytes) -> None:
        self.client.transport.write(data)

    def eof_received(self) -> bool:
        self.client.transport.close()  # after what is buffered has been written
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self.client.transport.close()

    def pause_writing(self) -> None:
        self.client.transport.pause_reading()

    def resume_writing(self) -> None:
        self.client.transport.resume_reading()


def _environ(
    head: bytes, peer: tuple[Any, ...], sock: tuple[Any, ...], trusted: bool
) -> dict[str, Any] | None:
    """The WSGI environ gunicorn would build for ``head``, if it is a flash adoption's head
    the front takes; None otherwise (gunicorn reads it)."""
    lines = head.split(b"\r\n")
    match = REQUEST_LINE.fullmatch(lines[0])
    if match is None:
        return None
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "SCRIPT_NAME": "",
        "PATH_INFO": match.group(1).decode(),
        "QUERY_STRING": "",
        "RAW_URI": match.group(1).decode(),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "SERVER_NAME": str(sock[0]),
        "SERVER_PORT": str(sock[1]),
        "REMOTE_ADDR": str(peer[0]),
        "REMOTE_PORT": str(peer[1]),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    for line in lines[1:]:
        name, colon, value = line.partition(b":")
        if not colon or NAME.fullmatch(name) is None or b"\x00" in value:
            return None  # folded, malformed, or with "_" in a name
        name = name.lower()
        if name in NOT_OURS:
            return None
        if name == b"content-type":
            key = "CONTENT_TYPE"
        elif name == b"content-length":
            key = "CONTENT_LENGTH"
        else:
            key = "HTTP_" + name.decode().upper().replace("-", "_")
        if key in environ:
            return None  # a repeated header: how to join it is gunicorn's to say
        environ[key] = value.strip(b" \t").decode("latin-1")
    length = environ.get("CONTENT_LENGTH", "")
    if not length.isascii() or not length.isdigit() or int(length) > door.MOST_BYTES:
        return None
    said = {k: environ[k].lower() for k in SCHEME_HEADERS if k in environ}
    if said and trusted:
        secure = {said[k] == SCHEME_HEADERS[k] for k in said}
        if len(secure) > 1:
            return None  # headers that disagree: gunicorn refuses them
        environ["wsgi.url_scheme"] = "https" if secure.pop() else "http"
    return environ


_date: tuple[int, bytes] = (0, b"")


def _http_date() -> bytes:
    global _date
    now = int(time.time())
    if _date[0] != now:
        _date = (now, email.utils.formatdate(now, usegmt=True).encode())
    return _date[1]


def _response_bytes(response: HttpResponse, close: bool) -> bytes:
    lines = [
        f"HTTP/1.1 {response.status_code} {response.reason_phrase}".encode(),
        b"Date: " + _http_date(),
    ]
    if not response.has_header("Content-Length"):
        lines.append(b"Content-Length: %d" % len(response.content))
    lines += [f"{k}: {v}".encode("latin-1") for k, v in response.items()]
    if close:
        lines.append(b"Connection: close")
    return b"\r\n".join(lines) + b"\r\n\r\n" + response.content


def _proxy_line(peer: tuple[Any, ...], sock: tuple[Any, ...]) -> bytes:
    family = "TCP6" if ":" in str(peer[0]) else "TCP4"
    return f"PROXY {family} {peer[0]} {sock[0]} {peer[1]} {sock[1]}\r\n".encode()


BAD_GATEWAY = (
    b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain; charset=utf-8\r\n"
    b"Content-Length: 24\r\nConnection: close\r\n\r\nweb server not answering"
)


def run(bind: tuple[str, int], front: Front) -> None:
    """Serve until SIGTERM or SIGINT; then finish the batch in hand and stop."""
    import signal

    async def main() -> None:
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        server = await front.serve(*bind)
        logger.info("flash front on %s:%s, gunicorn at %s:%s", *bind, *front.upstream)
        await stop.wait()
        server.close()
        await asyncio.to_thread(front.batcher.stop)

    try:
        import uvloop  # the event loop in C: cheaper reads and writes a connection
    except ImportError:  # pragma: no cover - a platform without its wheel
        asyncio.run(main())
    else:
        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            runner.run(main())
