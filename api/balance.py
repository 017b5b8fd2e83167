"""Connections spread evenly over serve's API processes (`api.workers`).

On a listening socket shared by several processes, the one that wakes first accepts: in a
burst of new connections one process can take nearly all of them (the API bench found 19 of
20 keep-alive clients in one of two processes), and a connection stays where it was
accepted, so one core did the work of two. So, as Node's cluster module does by default,
only the serve process accepts, and it hands the connections round in turn, itself
included; the other processes receive theirs over a Unix socket pair (SCM_RIGHTS).
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import logging
import socket
from collections.abc import Callable

import uvicorn

log = logging.getLogger(__name__)

ServeHere = Callable[[socket.socket], None]
ACCEPT_RETRY_SECONDS = 1.0  # after running out of file descriptors (asyncio waits as long)


def channel_pair() -> tuple[socket.socket, socket.socket]:
    """(serve's end, the API process's end). A stream (SOCK_SEQPACKET is Linux-only): each
    connection goes as one byte carrying its descriptor, and is read one byte at a time."""
    return socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)


class Dispatcher:
    """In the serve process: accepts on `listener` and hands each connection to the next
    process in turn. A process that is gone drops out of the turn; serve keeps its share."""

    def __init__(self, listener: socket.socket, channels: list[socket.socket]):
        self.listener = listener  # listening already
        self.channels: list[socket.socket | None] = list(channels)
        self._turn = itertools.cycle(range(len(channels) + 1))  # 0 is this process
        self._loop: asyncio.AbstractEventLoop | None = None

    def start(
        self, loop: asyncio.AbstractEventLoop, serve_here: ServeHere, on_closed: Callable[[], None]
    ) -> None:
        self._loop, self._serve_here = loop, serve_here
        self.listener.setblocking(False)
        for number, channel in enumerate(self.channels):
            if channel is not None and channel.fileno() == -1:
                self.channels[number] = None  # its process never started (ApiWorkers.start)
            elif channel is not None:
                channel.setblocking(False)  # never hold up the event loop
        loop.add_reader(self.listener.fileno(), self._accept)

    def stop(self) -> None:
        """Accept no more; the socket is closed so that new clients are refused, not kept
        waiting while the open connections drain."""
        if self._loop is not None and self.listener.fileno() != -1:
            self._loop.remove_reader(self.listener.fileno())
        self.listener.close()
        for channel in self.channels:
            if channel is not None:
                channel.close()  # the other processes see the end of their channel

    def _accept(self) -> None:
        try:
            connection, _ = self.listener.accept()
        except (BlockingIOError, InterruptedError):
            return
        except OSError as exc:  # e.g. out of file descriptors: waiting clients stay queued
            log.warning("accept failed (%s): retrying in %.0f s", exc, ACCEPT_RETRY_SECONDS)
            assert self._loop is not None
            self._loop.remove_reader(self.listener.fileno())
            self._loop.call_later(ACCEPT_RETRY_SECONDS, self._resume)
            return
        turn = next(self._turn)
        if turn and self._hand_over(turn - 1, connection):
            return
        self._serve_here(connection)

    def _resume(self) -> None:
        if self._loop is not None and self.listener.fileno() != -1:
            self._loop.add_reader(self.listener.fileno(), self._accept)

    def _hand_over(self, number: int, connection: socket.socket) -> bool:
        channel = self.channels[number]
        if channel is None:
            return False
        try:
            socket.send_fds(channel, [b"c"], [connection.fileno()])
        except BlockingIOError:
            return False  # its queue is full: this one is served here
        except OSError as exc:
            log.warning("API process %d is gone (%s): serve takes its share", number + 1, exc)
            channel.close()
            self.channels[number] = None
            return False
        connection.close()  # the other process has its own descriptor now
        return True


class Receiver:
    """In another API process: receives the connections serve hands to it; when serve's end
    of the channel closes (serve stopped, or died), `on_closed` stops this process too."""

    def __init__(self, channel: socket.socket):
        self.channel = channel
        self._loop: asyncio.AbstractEventLoop | None = None

    def start(
        self, loop: asyncio.AbstractEventLoop, serve_here: ServeHere, on_closed: Callable[[], None]
    ) -> None:
        self._loop, self._serve_here, self._on_closed = loop, serve_here, on_closed
        self.channel.setblocking(False)
        loop.add_reader(self.channel.fileno(), self._receive)

    def stop(self) -> None:
        if self._loop is not None and self.channel.fileno() != -1:
            self._loop.remove_reader(self.channel.fileno())
        self.channel.close()

    def _receive(self) -> None:
        try:
            message, fds, _, _ = socket.recv_fds(self.channel, 1, 1)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            message, fds = b"", []
        if not message and not fds:
            self.stop()
            self._on_closed()
            return
        for fd in fds:
            self._serve_here(socket.socket(fileno=fd))


class ApiServer(uvicorn.Server):
    """uvicorn's server answering the connections `source` gives it (it listens on no
    socket of its own); `on_shutdown` runs as soon as it begins to shut down."""

    def __init__(
        self,
        config: uvicorn.Config,
        source: Dispatcher | Receiver,
        on_shutdown: Callable[[], None] | None = None,
    ):
        super().__init__(config)
        self.source = source
        self.on_shutdown = on_shutdown
        self._opening: set[asyncio.Task] = set()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=[])
        loop = asyncio.get_running_loop()
        # What uvicorn gives loop.create_server, for connections accepted elsewhere.
        protocol = functools.partial(
            self.config.http_protocol_class,
            config=self.config,
            server_state=self.server_state,
            app_state=self.lifespan.state,
        )

        def serve_here(connection: socket.socket) -> None:
            task = loop.create_task(loop.connect_accepted_socket(protocol, connection))
            self._opening.add(task)
            task.add_done_callback(functools.partial(self._opened, connection))

        self.source.start(loop, serve_here, self._stop)

    def _opened(self, connection: socket.socket, task: asyncio.Task) -> None:
        self._opening.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.debug("connection not opened: %s", task.exception())
            connection.close()

    def _stop(self) -> None:
        self.should_exit = True

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        if self.on_shutdown is not None:
            self.on_shutdown()
        self.source.stop()
        await super().shutdown(sockets)
