"""The flash front (``forest.front``) over real sockets: it answers the flash adoptions it
takes as the API does, in order on a connection, and relays everything else to the web server
byte for byte, with a PROXY line saying who the client is. The web server here is a recording
stand-in (the outside boundary); ``server/tests/test_serve.py`` runs the front before the
real gunicorn."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db.models import Sum
from django.test import Client

from tuopin.accounts import services as accounts
from tuopin.accounts.models import User
from tuopin.forest import flash, front
from tuopin.forest.models import Adoption, Shard

from .conftest import make_project

pytestmark = [
    pytest.mark.usefixtures("empty_the_log_afterwards"),
    pytest.mark.django_db(transaction=True),
]
URL = "/api/v1/forest/projects/guanba/adoptions"
UPSTREAM_ANSWER = b"HTTP/1.1 200 OK\r\nContent-Length: 8\r\nX-From: web\r\n\r\nupstream"


class WebServer(asyncio.Protocol):
    """The stand-in for gunicorn: records every byte and the peer, answers each request
    (a head, then its Content-Length of body) with :data:`UPSTREAM_ANSWER`."""

    def __init__(self, seen: list[dict[str, Any]]) -> None:
        self.record: dict[str, Any] = {"bytes": b"", "peer": None}
        seen.append(self.record)
        self.pending = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.record["peer"] = transport.get_extra_info("peername")[0]

    def data_received(self, data: bytes) -> None:
        self.record["bytes"] += data
        self.pending += data
        if self.pending.startswith(b"PROXY "):
            self.pending = self.pending.partition(b"\r\n")[2]
        while (end := self.pending.find(b"\r\n\r\n")) >= 0:
            head = self.pending[:end].lower()
            length = 0
            for line in head.split(b"\r\n"):
                if line.startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if len(self.pending) < end + 4 + length:
                return
            self.pending = self.pending[end + 4 + length :]
            self.transport.write(UPSTREAM_ANSWER)


class Running:
    """The front and the stand-in on one event loop in a thread."""

    def __init__(self, trusted: str = "127.0.0.1", web: bool = True) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.seen: list[dict[str, Any]] = []
        self.web_port = self._call(self._web()) if web else _free_port()
        self.front = front.Front(
            ("127.0.0.1", self.web_port), batcher=flash.Batcher(), trusted=trusted
        )
        server = self._call(self.front.serve("127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]

    async def _web(self) -> int:
        server = await self.loop.create_server(lambda: WebServer(self.seen), "127.0.0.1", 0)
        return int(server.sockets[0].getsockname()[1])

    def _call(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(10)

    def connect(self) -> Conn:
        return Conn(socket.create_connection(("127.0.0.1", self.port), timeout=20))

    def stop(self) -> None:
        self.front.batcher.stop()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Conn:
    """A client's keep-alive connection, read one answer at a time."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.file = sock.makefile("rb")

    def send(self, *requests: bytes) -> None:
        self.sock.sendall(b"".join(requests))

    def answer(self) -> tuple[int, dict[str, str], bytes]:
        status = int(self.file.readline().split()[1])
        headers = {}
        while (line := self.file.readline()) not in (b"\r\n", b""):
            name, _c, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        return status, headers, self.file.read(int(headers.get("content-length", 0)))

    def close(self) -> None:
        self.file.close()
        self.sock.close()


def adoption(token: str, key: str = "k1", units: int = 1, *extra: str) -> bytes:
    body = json.dumps({"units": units, "key": key}).encode()
    head = [
        f"POST {URL} HTTP/1.1",
        "Host: testserver",
        f"Authorization: Bearer {token}",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
        "Accept-Language: zh-hans",
        *extra,
    ]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def get(path: str = "/campaigns/") -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: testserver\r\n\r\n".encode()


@pytest.fixture
def running(settings: Any) -> Iterator[Running]:
    settings.ALLOWED_HOSTS = ["testserver"]
    r = Running()
    yield r
    r.stop()


def test_it_answers_a_flash_adoption_as_the_api_does(running: Running, tokens: list[str]) -> None:
    api = Client().post(
        URL,
        json.dumps({"units": 1, "key": "k1"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {tokens[0]}",
    )
    conn = running.connect()
    conn.send(adoption(tokens[1]))
    status, headers, body = conn.answer()
    assert (status, api.status_code) == (201, 201)
    differ = {"number", "url", "adopted_at"}
    mine, theirs = json.loads(body), api.json()
    assert {k: v for k, v in mine.items() if k not in differ} == {
        k: v for k, v in theirs.items() if k not in differ
    }
    assert headers["content-type"] == api.headers["Content-Type"]
    assert headers["x-content-type-options"] == "nosniff"
    assert running.seen == []  # nothing reached the web server
    conn.close()


def test_it_answers_requests_sent_together_in_order(running: Running, tokens: list[str]) -> None:
    conn = running.connect()
    conn.send(adoption(tokens[0], "a"), adoption(tokens[0], "a"), adoption(tokens[0], "b", 5))
    first, again, refused = conn.answer(), conn.answer(), conn.answer()
    assert (first[0], again[0], refused[0]) == (201, 200, 409)
    assert json.loads(again[2])["number"] == json.loads(first[2])["number"]
    assert Adoption.objects.count() == 1
    conn.close()


def test_it_relays_another_request_byte_for_byte(running: Running, tokens: list[str]) -> None:
    conn = running.connect()
    conn.send(get())
    assert conn.answer() == (200, {"content-length": "8", "x-from": "web"}, b"upstream")
    sent = running.seen[0]["bytes"]
    line, _crlf, rest = sent.partition(b"\r\n")
    assert line.startswith(b"PROXY TCP4 127.0.0.1 127.0.0.1 ")
    assert rest == get()
    conn.close()


def test_it_relays_everything_after_the_first_request_it_does_not_take(
    running: Running, tokens: list[str]
) -> None:
    conn = running.connect()
    conn.send(adoption(tokens[0], "a"))
    assert conn.answer()[0] == 201
    conn.send(get(), adoption(tokens[0], "b"))
    assert conn.answer()[2] == b"upstream"
    assert conn.answer()[2] == b"upstream"  # the adoption after it went on too
    assert running.seen[0]["bytes"].partition(b"\r\n")[2] == get() + adoption(tokens[0], "b")
    assert Adoption.objects.count() == 1
    conn.close()


@pytest.mark.parametrize(
    "request_bytes",
    [
        adoption("not-a-token"),
        adoption("TOKEN", "k", 1, "Cookie: sessionid=x"),
        adoption("TOKEN", "k", 1, "Transfer-Encoding: chunked"),
        adoption("TOKEN", "k", 1, "X_Odd: 1"),
        adoption("TOKEN", "k", 1, "Host: other"),
        adoption("TOKEN").replace(b"HTTP/1.1", b"HTTP/1.0", 1),
        adoption("TOKEN").replace(b"/adoptions", b"/adoptions?x=1", 1),
        adoption("TOKEN").replace(b'"units": 1', b'"units": "1"'),
    ],
    ids=[
        "unknown token",
        "cookie",
        "chunked",
        "underscore",
        "two hosts",
        "http/1.0",
        "query",
        "coerced",
    ],
)
def test_it_leaves_what_it_does_not_fully_understand_to_the_web_server(
    running: Running, tokens: list[str], request_bytes: bytes
) -> None:
    sent = request_bytes.replace(b"TOKEN", tokens[0].encode())
    conn = running.connect()
    conn.send(sent)
    assert conn.answer()[2] == b"upstream"
    assert running.seen[0]["bytes"].partition(b"\r\n")[2] == sent
    assert Adoption.objects.count() == 0
    conn.close()


def test_it_connects_from_the_trusted_address_only_for_trusted_clients(
    settings: Any, tokens: list[str]
) -> None:
    settings.ALLOWED_HOSTS = ["testserver"]
    for trusted, source in (("127.0.0.1", "127.0.0.1"), ("10.0.0.0/8", "127.0.0.2")):
        r = Running(trusted=trusted)
        try:
            conn = r.connect()
            conn.send(get())
            conn.answer()
            conn.close()
            assert r.seen[0]["peer"] == source
        finally:
            r.stop()


def test_it_answers_502_when_the_web_server_is_not_there(
    settings: Any, monkeypatch: pytest.MonkeyPatch, tokens: list[str]
) -> None:
    settings.ALLOWED_HOSTS = ["testserver"]
    monkeypatch.setattr(front, "UPSTREAM_WAIT", 0.3)
    r = Running(web=False)
    try:
        conn = r.connect()
        conn.send(get())
        assert conn.answer()[0] == 502
        conn.close()
    finally:
        r.stop()


def test_many_connections_at_once_never_oversell(
    running: Running, operator: User, give_energy: Callable[..., int]
) -> None:
    project = make_project(operator, units_total=7, shards=3)
    tokens = []
    for i in range(20):
        give_energy(User.objects.create_user(username=f"t{i}"), 80)
        tokens.append(accounts.issue_token(username=f"t{i}"))
    conns = [running.connect() for _ in tokens]
    for conn, token in zip(conns, tokens, strict=True):
        conn.send(adoption(token, "flash"))
    statuses = sorted(conn.answer()[0] for conn in conns)
    assert statuses == [201] * 7 + [409] * 13
    assert Adoption.objects.count() == 7
    assert Shard.objects.filter(project=project).aggregate(r=Sum("remaining"))["r"] == 0
    for conn in conns:
        conn.close()
