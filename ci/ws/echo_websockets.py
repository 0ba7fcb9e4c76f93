"""WebSocket echo server on the Python `websockets` library, started by ci/ws-servers.sh.

Usage: echo_websockets.py HOST PORT   (PORT 0 picks a free port)

Echoes every message with its own type (text as text, binary as binary) on any path, as
Autobahn's echo servers do. permessage-deflate is on (the library's default) and messages
up to 64 MiB are accepted (Autobahn 9.x sends 16 MiB). Keepalive pings are off so that the
server sends nothing a case did not ask for. Prints `listening on HOST:PORT` first, then
serves until SIGTERM or SIGINT.
"""

import asyncio
import signal
import sys

from websockets.asyncio.server import serve
from websockets.exceptions import ConnectionClosed

MAX_SIZE = 64 * 1024 * 1024


async def echo(ws):
    try:
        async for msg in ws:
            await ws.send(msg)
    except ConnectionClosed:
        # The library has already closed with the right code (1002, 1007, ...); a client
        # breaking the protocol is what the cases do, not an error of this server.
        pass


async def main(host, port):
    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
    async with serve(
        echo,
        host,
        port,
        compression="deflate",
        max_size=MAX_SIZE,
        ping_interval=None,
    ) as server:
        bound = server.sockets[0].getsockname()
        print(f"listening on {bound[0]}:{bound[1]}", flush=True)
        await stop


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: echo_websockets.py HOST PORT")
    asyncio.run(main(sys.argv[1], int(sys.argv[2])))
