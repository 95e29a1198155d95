"""What waitress refuses before any WSGI application sees the request, answered by the guard.

Waitress answers a body past ``max_request_body_size``, headers past
``max_request_header_size`` and a request it cannot parse itself, with a body of its own
and no log line, so none of them reached ``/metrics`` or the log. Its channel's
``error_task_class`` is the seam for those answers: ours hands each to the web guard
(``Guard.refused_by_server``), which logs, counts and words it as its own refusals.
"""

from __future__ import annotations

from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer
from waitress.task import ErrorTask
from waitress.utilities import InternalServerError

from handlers.web.guard import Guard


def refusing_channel(guard: Guard) -> type[HTTPChannel]:
    """Waitress's channel, with its refusals answered through ``guard``."""

    class RefusalTask(ErrorTask):
        def execute(self) -> None:
            request, error = self.request, self.request.error
            if isinstance(error, InternalServerError):  # a failure of ours, not a refusal
                super().execute()
                return
            # A request refused mid-parse may lack a method or a path.
            length = request.headers.get("CONTENT_LENGTH")
            declared = "chunked" if request.chunked else f"Content-Length {length[:20]}" if length else ""
            addr = self.channel.addr
            status, headers, body = guard.refused_by_server(
                getattr(request, "command", "") or "?",
                getattr(request, "path", "") or "",
                error.code,
                declared or "no Content-Length",
                str(addr[0] if isinstance(addr, tuple) else addr),
            )
            self.status = status
            self.response_headers.extend(headers)
            self.set_close_on_finish()
            self.content_length = len(body)
            self.write(body)

    class RefusingChannel(HTTPChannel):
        error_task_class = RefusalTask

    return RefusingChannel


def answer_refusals(server, guard: Guard) -> None:
    """Have ``server`` (from ``waitress.server.create_server``) answer its refusals through
    ``guard``; a server on several sockets is one waitress server per socket."""
    channel = refusing_channel(guard)
    for candidate in [server, *getattr(server, "map", {}).values()]:
        if isinstance(candidate, BaseWSGIServer):
            candidate.channel_class = channel
