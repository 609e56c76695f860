"""YAML read with limits: size, nesting and the number of nodes once aliases are expanded.

PyYAML shares aliased nodes instead of copying them, so a "billion laughs" document loads
in milliseconds, but whatever walks the result afterwards (validation, line lookup, a
template) visits every shared node again and hangs. The limits are checked on the composed
node graph, where sharing is visible: the expanded size is summed with memoisation, so the
check costs one pass over the document as written, not over its expansion.

Every file a user or a feed can write goes through `load` (feeds.yaml, edits files);
bundled knowledge files are trusted and use plain `yaml.safe_load`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml


class YAMLLimitError(yaml.YAMLError):
    """A document exceeds one of the reader's limits (it is refused, not truncated)."""


@dataclass(frozen=True)
class Limits:
    """The reader's limits. The defaults are far above any hand-written config."""

    max_chars: int = 2_000_000
    max_depth: int = 64
    max_nodes: int = 200_000


DEFAULT_LIMITS = Limits()


def compose(text: str, limits: Limits = DEFAULT_LIMITS) -> yaml.Node | None:
    """The node graph of `text`, refused with `YAMLLimitError` when it is too large.

    libyaml composes when PyYAML has it: ~20x faster than the pure-Python composer (a
    1,000-line feeds.yaml of 200 sources: ~4 ms against ~90 ms), which is most of what
    loading a large config costs beyond pydantic. libyaml's composer recurses in C, so
    the nesting is first measured on its event stream (no recursion at any depth). A
    document libyaml refuses (or cannot be given: a lone surrogate is not UTF-8) is read
    again by the pure-Python reader, which words the error as it always has.
    """
    if len(text) > limits.max_chars:
        raise YAMLLimitError(
            f"document too large: {len(text):,} characters (limit {limits.max_chars:,})"
        )
    node = _compose_c(text, limits) if _C_LOADER is not None else _compose_python(text, limits)
    if node is not None:
        _check(node, limits)
    return node


_C_LOADER: Any = getattr(yaml, "CSafeLoader", None)
_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _compose_c(text: str, limits: Limits) -> yaml.Node | None:
    try:
        depth = 0
        for event in yaml.parse(text, Loader=_C_LOADER):
            if isinstance(event, _OPEN):
                depth += 1
                # One more than `_check` allows: a collection this deep has a node below
                # the limit, which `_check` refuses with the same words; this only keeps
                # the C composer's recursion bounded.
                if depth > limits.max_depth + 1:
                    raise YAMLLimitError(f"nesting deeper than {limits.max_depth} levels")
            elif isinstance(event, _CLOSE):
                depth -= 1
        node: yaml.Node | None = yaml.compose(text, Loader=_C_LOADER)
        return node
    except YAMLLimitError:
        raise
    except (yaml.YAMLError, UnicodeEncodeError):  # a lone surrogate cannot reach libyaml
        return _compose_python(text, limits)


def _compose_python(text: str, limits: Limits) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError as exc:  # the composer recurses once per nesting level
        raise YAMLLimitError(f"nesting deeper than {limits.max_depth} levels") from exc


def construct(node: yaml.Node | None) -> Any:
    """The Python value of a node graph from `compose` (safe types only)."""
    if node is None:
        return None
    return yaml.SafeLoader("").construct_document(node)


def load(text: str, limits: Limits = DEFAULT_LIMITS) -> tuple[Any, yaml.Node | None]:
    """Parse once: the value and the node graph (for line numbers in error messages)."""
    node = compose(text, limits)
    return construct(node), node


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check(root: yaml.Node, limits: Limits) -> None:
    """Refuse recursive aliases, deep nesting and an expanded size above the limit.

    Iterative post-order walk; `sizes` memoises each shared node's expanded size, so a node
    reached through many aliases is counted (multiplied) without being walked again.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 0)]
    while stack:
        node, depth = stack[-1]
        key = id(node)
        if key in sizes:
            stack.pop()
            continue
        if depth > limits.max_depth:
            raise YAMLLimitError(f"nesting deeper than {limits.max_depth} levels")
        children = _children(node)
        if key not in open_nodes:
            open_nodes.add(key)
            for child in children:
                if id(child) in open_nodes:
                    raise YAMLLimitError("recursive alias: an anchor refers to itself")
                if id(child) not in sizes:
                    stack.append((child, depth + 1))
            continue
        stack.pop()
        open_nodes.discard(key)
        size = 1 + sum(sizes[id(child)] for child in children)
        if size > limits.max_nodes:
            raise YAMLLimitError(
                f"too many nodes once aliases are expanded (over {limits.max_nodes:,}): "
                "an alias bomb? write the values out instead of nesting aliases"
            )
        sizes[key] = size
