"""A WSGI app under waitress on an ephemeral loopback port, in this process (so a test can
move the core's clock under a page that is polling it)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def serving(wsgi, threads: int = 4) -> Iterator[str]:
    """Serve ``wsgi`` on 127.0.0.1 and a free port; yields the base URL."""
    from waitress.server import create_server

    server = create_server(wsgi, host="127.0.0.1", port=0, threads=threads, ident="awair-test")
    thread = threading.Thread(target=server.run, name="test-web", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        thread.join(5)
