"""YAML reading for schedule files: line numbers kept, ``9:30`` read as a time, not 570."""

from __future__ import annotations

import re
from typing import Any

import yaml

LINE_KEY = "__line__"


# libyaml's parser where it is installed (PyYAML's wheels carry it): five times faster on a
# congress's schedule, same nodes and marks; the resolvers and constructors stay Python's.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _ScheduleLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """SafeLoader that keeps each mapping's line and reads clock times as strings."""


# YAML 1.1 reads 9:30 as the sexagesimal integer 570; a schedule means a time of day.
# Rebuild the int/float resolvers without their base-60 forms.
_ScheduleLoader.yaml_implicit_resolvers = {
    first: [
        (tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_ScheduleLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)
_ScheduleLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?)$"),
    list("-+0123456789."),
)


def _construct_mapping(loader: _ScheduleLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    mapping[LINE_KEY] = node.start_mark.line + 1
    return mapping


_ScheduleLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class YamlSyntaxError(ValueError):
    """The text is not YAML; ``line`` is where the parser gave up."""

    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.line = line


def load_yaml(text: str) -> Any:
    """Parse YAML text; every mapping gets its 1-based line under ``__line__``."""
    try:
        return yaml.load(text, Loader=_ScheduleLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise YamlSyntaxError(f"not valid YAML: {exc.problem or exc}", line) from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(f"not valid YAML: {exc}", None) from exc


def dump_yaml(data: Any) -> str:
    """Write plain data as readable YAML (used by ``awair-bot import``)."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
