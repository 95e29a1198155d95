"""A WSGI app under waitress on an ephemeral loopback port, in this process (so a test can
move the core's clock under a page that is polling it), and stop and start again on the
same port (a venue's network dropping and coming back). The web guard (``make_wsgi_app``) is
served as production serves it (``make_server``: its limits, waitress's refusals answered by
the guard); any other WSGI app under plain waitress."""

from __future__ import annotations

import threading

from awair_bot.board_server import stop_waitress
from awair_bot.http_server import make_server
from handlers.web.guard import Guard


class LoopbackServer:
    """``wsgi`` served on 127.0.0.1; ``stop()`` refuses connections until ``start()``."""

    def __init__(self, wsgi, threads: int = 4):
        self._wsgi = wsgi
        self._threads = threads
        self.port = 0
        self._server = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The base URL."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LoopbackServer:
        """Listen (on the same port as before, after a stop)."""
        from waitress.server import create_server

        if isinstance(self._wsgi, Guard):
            self._server = make_server(self._wsgi, "127.0.0.1", self.port, self._threads)
        else:
            self._server = create_server(
                self._wsgi, host="127.0.0.1", port=self.port, threads=self._threads, ident="awair-test"
            )
        self.port = self._server.effective_port
        self._thread = threading.Thread(target=self._server.run, name="test-web", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Close the listening socket and every connection."""
        if self._server is not None:
            stop_waitress(self._server, self._thread)
            self._server = None
