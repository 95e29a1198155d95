"""Reads never queue behind writes: waitress's threads with a bounded share for writes.

Waitress hands every complete request to one queue of threads. In the mixed load a burst of
votes and proposals (each a database write and Web API calls) filled every thread, and a
``/next`` waited behind them. This dispatcher keeps two queues: reads go first, to any free
thread; writes run on at most ``max_writers`` threads at once, so the others are always
free for reads, and a burst of votes queues among itself.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable

from waitress.task import ThreadedTaskDispatcher

logger = logging.getLogger(__name__)

# (path, body) -> whether the request writes.
Classify = Callable[[str, bytes], bool]


class ReadsFirstDispatcher(ThreadedTaskDispatcher):
    """Waitress's dispatcher with reads first and at most ``max_writers`` writes at once."""

    def __init__(self, classify: Classify, max_writers: int):
        super().__init__()
        self._classify = classify
        self._max_writers = max_writers
        self._writes: deque = deque()
        self._writing = 0

    def add_task(self, task) -> None:
        """Queue a channel's next request as a read or a write."""
        write = self._is_write(task)
        with self.lock:
            (self._writes if write else self.queue).append(task)
            self.queue_cv.notify_all()

    def handler_thread(self, thread_no: int) -> None:
        """One of waitress's threads: reads first, writes while under their share."""
        while True:
            with self.lock:
                while not self._runnable() and self.stop_count == 0:
                    self.active_count -= 1
                    self.queue_cv.wait()
                    self.active_count += 1
                if self.stop_count > 0:
                    self.active_count -= 1
                    self.stop_count -= 1
                    self.threads.discard(thread_no)
                    self.thread_exit_cv.notify()
                    break
                if self.queue:
                    task, write = self.queue.popleft(), False
                else:
                    task, write = self._writes.popleft(), True
                    self._writing += 1
            try:
                task.service()
            except BaseException:
                self.logger.exception("Exception when servicing %r", task)
            finally:
                if write:
                    with self.lock:
                        self._writing -= 1
                        self.queue_cv.notify_all()

    def shutdown(self, cancel_pending: bool = True, timeout: float = 5) -> bool:
        """Stop the threads; pending writes are cancelled with the reads."""
        with self.lock:
            while self._writes:
                self.queue.append(self._writes.popleft())
        return super().shutdown(cancel_pending, timeout)

    def _runnable(self) -> bool:
        return bool(self.queue) or (bool(self._writes) and self._writing < self._max_writers)

    def _is_write(self, task) -> bool:
        requests = getattr(task, "requests", None)
        if not requests:
            return False
        request = requests[0]
        if getattr(request, "error", None) is not None or request.command != "POST":
            return False
        try:
            stream = request.get_body_stream()
            at = stream.tell()
            body = stream.read(64 * 1024)
            stream.seek(at)
        except (OSError, ValueError, AttributeError):
            return False
        try:
            return self._classify(request.path, body)
        except Exception:  # a classifier's bug must not lose a request
            logger.exception("classifying a request failed; treating it as a read")
            return False
