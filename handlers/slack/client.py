"""Web API calls over pooled keep-alive connections.

slack_sdk's ``WebClient`` opens a new connection (and, against Slack, a new TLS session) for
every call: about 1.2 ms of CPU each on loopback, and a round trip or two more over the
internet. This client sends the same requests through a urllib3 pool, so the calls of a
busy weekend reuse a few warm connections; everything else (arguments, retries, errors) is
slack_sdk's own.
"""

from __future__ import annotations

import http.client
import io
import urllib.error
from typing import Any
from urllib.request import Request

import urllib3
from slack_sdk import WebClient
from urllib3.exceptions import (
    ConnectTimeoutError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)

# Connections kept per host: the background workers, the scheduler and a few requests.
POOL_SIZE = 16


class PooledWebClient(WebClient):
    """A ``WebClient`` whose requests go over pooled keep-alive connections."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._pool = urllib3.PoolManager(
            num_pools=4, maxsize=POOL_SIZE, block=False, retries=False, ssl_context=self.ssl
        )

    def _perform_urllib_http_request_internal(self, url: str, req: Request) -> dict[str, Any]:
        if self.proxy is not None or not url.lower().startswith("http"):
            return super()._perform_urllib_http_request_internal(url, req)
        try:
            response = self._pool.request(
                req.get_method(),
                url,
                body=req.data,
                headers=dict(req.header_items()),
                timeout=urllib3.Timeout(total=self.timeout),
                preload_content=True,
                redirect=False,
            )
        except ReadTimeoutError as exc:
            # As urllib: a time-out after sending (it may have been done) is a TimeoutError...
            raise TimeoutError(str(exc)) from None
        except (ConnectTimeoutError, NewConnectionError) as exc:
            # ...and one before anything was sent is a URLError around the reason.
            reason = (
                TimeoutError(str(exc))
                if isinstance(exc, ConnectTimeoutError)
                else ConnectionRefusedError(str(exc))
            )
            raise urllib.error.URLError(reason) from None
        except ProtocolError as exc:
            raise ConnectionResetError(str(exc)) from None
        headers = http.client.HTTPMessage()
        for name, value in response.headers.items():
            headers[name] = value
        if response.status >= 400:
            raise urllib.error.HTTPError(
                url, response.status, response.reason or "", headers, io.BytesIO(response.data)
            )
        charset = headers.get_content_charset() or "utf-8"
        return {"status": response.status, "headers": headers, "body": response.data.decode(charset)}
