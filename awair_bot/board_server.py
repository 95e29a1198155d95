"""The board beside Socket Mode or the console: the web routes under waitress, in a thread."""

from __future__ import annotations

import logging
import threading

from awair_bot.http_server import make_server, make_wsgi_app
from bot.services import Services
from handlers.web import web_routes

logger = logging.getLogger(__name__)


class BoardServer:
    """``/board``, ``/day``, ``/healthz`` and ``/schedule.ics`` on their own port (no Slack
    endpoint), served from a background thread until ``close``."""

    def __init__(self, services: Services, host: str, port: int, threads: int = 4):
        wsgi = make_wsgi_app(None, services, routes=web_routes(services))
        self._server = make_server(wsgi, host, port, threads)
        self.port = self._server.effective_port
        self._thread = threading.Thread(target=self._server.run, name="awair-board", daemon=True)

    def start(self) -> BoardServer:
        """Start serving; returns self."""
        self._thread.start()
        logger.info("the board is served on port %d: /board, /board?room=..., /day", self.port)
        return self

    def close(self) -> None:
        """Stop serving."""
        stop_waitress(self._server, self._thread)


def stop_waitress(server, thread: threading.Thread) -> None:
    """Stop a waitress server running ``server.run()`` in ``thread``, at once.

    ``server.close()`` alone leaves open keep-alive connections (a polling board has one)
    in waitress's socket map, so its loop would run on. Closing every socket from inside
    the loop's own thread (waitress runs a trigger's thunks there) empties the map safely.
    """
    from waitress import wasyncore

    server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map, ignore_all=True))
    thread.join(5)
    server.task_dispatcher.shutdown()
