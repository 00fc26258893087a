"""Safe YAML reading that keeps line numbers and reads every number as an exact decimal."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import yaml

MAX_NODES = 200_000
"""A criteria set has a few thousand nodes; more than this (e.g. exploding anchors) is refused."""

MAX_DEPTH = 64
"""A criteria set nests about 12 levels deep. Deeper documents are refused before they are
composed: the composer recurses once per level (RecursionError in Python, a crash in libyaml's)."""


class LineDict(dict[Any, Any]):
    """A mapping that knows the line of itself and of each key."""

    line: int = 0
    key_lines: dict[Any, int]


class LineList(list[Any]):
    """A sequence that knows the line of itself and of each element."""

    line: int = 0
    item_lines: list[int]


class YamlProblem(Exception):
    """A YAML file that cannot be read: syntax, duplicate key, or too large."""

    def __init__(self, code: str, message: str, line: int | None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line


_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """SafeLoader building LineDict/LineList and Decimals."""


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str | int):
            raise YamlProblem("yaml_syntax", f"khóa không hợp lệ: {key!r}", line)
        if key in result:
            raise YamlProblem("yaml_duplicate_key", f"khóa '{key}' bị lặp", line)
        result.key_lines[key] = line
        result[key] = loader.construct_object(value_node, deep=True)
    return result


def _construct_seq(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_decimal(loader: _Loader, node: yaml.ScalarNode) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "").lower()
    if text in (".inf", "+.inf", "-.inf", ".nan"):
        raise YamlProblem("yaml_syntax", f"số không hợp lệ: {text}", node.start_mark.line + 1)
    return Decimal(text)


MAX_DIGITS = 30
"""Longer integers are refused (Python refuses to convert more than 4,300 digits at all)."""


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node))
    if sum(c.isdigit() for c in text) > MAX_DIGITS:
        message = f"số nguyên quá dài ({len(text)} ký tự; tối đa {MAX_DIGITS} chữ số)"
        raise YamlProblem("yaml_syntax", message, node.start_mark.line + 1)
    value: int = loader.construct_yaml_int(node)
    return value


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


def _expanded_size(root: yaml.Node) -> int:
    """Count nodes as if aliases were copied out, without copying (memoised)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        if done:
            sizes[id(node)] = 1 + sum(sizes[id(c)] for c in children)
            if sizes[id(node)] > MAX_NODES:
                return sizes[id(node)]
        else:
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
    return sizes[id(root)]


_TOO_DEEP = f"tệp lồng nhau quá sâu (trên {MAX_DEPTH} cấp)"

_LIBYAML_TOO_DEEP = "maximum nesting depth"
"""libyaml (0.2.5 and later, bundled with PyYAML 6.0.2+) refuses deep flow nesting itself."""


def _check_depth(text: str, base: type[yaml.SafeLoader] = _Base) -> None:
    """Raise YamlProblem if collections nest deeper than MAX_DEPTH (read as events, no nodes)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=base):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    line = event.start_mark.line + 1 if event.start_mark else None
                    raise YamlProblem("yaml_too_deep", _TOO_DEEP, line)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        if _LIBYAML_TOO_DEEP not in str(exc.problem):
            raise
        mark = exc.problem_mark or exc.context_mark
        raise YamlProblem("yaml_too_deep", _TOO_DEEP, mark.line + 1 if mark else None) from exc


def load_yaml(text: str) -> Any:
    """Parse YAML text into LineDict/LineList/Decimal data, or raise YamlProblem."""
    loader = _Loader(text)
    try:
        _check_depth(text)
        root = loader.get_single_node()
        if root is None:
            return None
        if _expanded_size(root) > MAX_NODES:
            raise YamlProblem(
                "yaml_too_large",
                f"tệp có quá nhiều phần tử (trên {MAX_NODES:,}), có thể do neo (anchor) lồng nhau",
                root.start_mark.line + 1,
            )
        return loader.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise YamlProblem("yaml_syntax", f"lỗi cú pháp YAML: {exc.problem}", line) from exc
    except yaml.YAMLError as exc:
        raise YamlProblem("yaml_syntax", f"lỗi cú pháp YAML: {exc}", None) from exc
    finally:
        loader.dispose()


def line_of(data: Any, loc: tuple[int | str, ...]) -> int | None:
    """The line of the deepest element of the data that a pydantic error location reaches."""
    line = getattr(data, "line", None)
    node = data
    for part in loc:
        if isinstance(node, LineDict) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            continue  # a union tag or a model name in the location: not a data step
        line = getattr(node, "line", line) if isinstance(node, LineDict) else line
    return line


def item_code_at(data: Any, loc: tuple[int | str, ...]) -> str | None:
    """The code of the innermost item that a pydantic error location passes through."""
    code: str | None = None
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            if isinstance(node, dict) and isinstance(node.get("code"), str | int | Decimal):
                code = str(node["code"])
    return code
