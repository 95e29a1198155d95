"""Schedule problems that name the file, the place and the field."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a schedule, located as precisely as the source allows."""

    file: str
    message: str
    line: int | None = None
    where: str | None = None  # e.g. "session 'Misalignment'"

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}" if self.line else self.file
        return f"{place}: {self.where}: {self.message}" if self.where else f"{place}: {self.message}"


class ScheduleError(Exception):
    """A schedule that cannot be used; ``problems`` lists every located error."""

    def __init__(self, problems: list[Problem], warnings: tuple[str, ...] = ()):
        self.problems = problems
        # What was noticed on the way (a session in the small hours): still worth saying
        # beside the problems, since it may be the cause of one of them.
        self.warnings = warnings
        super().__init__("\n".join(str(p) for p in problems))


class ScheduleNotFound(ScheduleError):
    """There is no schedule at ``path``: not an invalid one, a missing one."""

    def __init__(self, path: str):
        self.path = path
        super().__init__([Problem(path, "no such file or folder")])
