"""api/balance.py in one event loop with real sockets: serve's Dispatcher hands accepted
connections round (the other processes' Receivers get working descriptors), skips a process
that is gone or never started, and a Receiver stops when serve's end of its channel closes."""

from __future__ import annotations

import asyncio
import socket

from api.balance import Dispatcher, Receiver, channel_pair


async def _until(condition, timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.01)


def test_connections_go_round_past_processes_that_are_gone_or_never_started():
    listener = socket.create_server(("127.0.0.1", 0))
    address = listener.getsockname()
    live, live_end = channel_pair()
    gone, gone_end = channel_pair()
    gone_end.close()  # its process died
    never, _ = channel_pair()
    never.close()  # its process did not start (ApiWorkers.start closes serve's end)
    dispatcher = Dispatcher(listener, [live, gone, never])
    here: list[socket.socket] = []
    there: list[socket.socket] = []
    closed: list[bool] = []

    async def run() -> list[socket.socket]:
        loop = asyncio.get_running_loop()
        dispatcher.start(loop, here.append, lambda: None)
        Receiver(live_end).start(loop, there.append, lambda: closed.append(True))
        clients = []
        for number in range(8):
            client = socket.create_connection(address)
            client.sendall(b"%d" % number)
            clients.append(client)
            await _until(lambda n=number + 1: len(here) + len(there) == n)
        dispatcher.stop()
        await _until(lambda: bool(closed))  # the live process sees serve's end close
        return clients

    clients = asyncio.run(run())
    # Turns: serve, live, gone (found gone: served here), never (skipped), and round again.
    assert (len(here), len(there)) == (6, 2)
    # Each one a working connection: what its client sent arrives.
    assert [connection.recv(8) for connection in there] == [b"1", b"5"]
    assert sorted(connection.recv(8) for connection in here) == [b"0", b"2", b"3", b"4", b"6", b"7"]
    with socket.socket() as late:  # serve stopped accepting: the listener is closed
        assert late.connect_ex(address) != 0
    for connection in here + there + clients:
        connection.close()
