"""What a feedparser test file says about itself, read without ever evaluating it.

feedparser's files open with a comment such as::

    <!--
    Header:      Content-type: text/xml; charset="us-ascii"
    Description: text/xml + explicit charset
    Expect:      not bozo and encoding == 'us-ascii'
    -->

(its JSON files carry the same words in a ``"__TEST__"`` string). ``Header:`` lines emulate
HTTP response headers; ``Expect:`` is a Python expression over feedparser's result. It is
parsed with ``ast`` and only plain ``==`` comparisons against string literals, joined by
``and``, are taken: of ``feed['title']``, ``feed['link']``, ``entries[N]['title']``,
``entries[N]['link']`` (or the attribute spellings ``feed.title``…) and ``encoding``.
"""

from __future__ import annotations

import ast
import codecs
import re
from dataclasses import dataclass, field

_KEY = re.compile(r"\b(Description|Expect|Header):\s*")
_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
_JSON_TEST = re.compile(r'"__TEST__"\s*:\s*"((?:[^"\\]|\\.)*)"')
_HEAD = 4096
_FIELDS = frozenset({"title", "link"})
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_WIDE = ("utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be")


@dataclass(frozen=True, slots=True)
class Expectation:
    """``field`` ("title", "link" or "encoding") of the feed (``entry`` None) or of entry
    number ``entry`` should equal ``value``."""

    field: str
    entry: int | None
    value: str


@dataclass(frozen=True, slots=True)
class Annotations:
    """The test file's own description, expectation and emulated HTTP headers."""

    description: str = ""
    expect: str = ""
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")

    @property
    def content_location(self) -> str | None:
        return self.headers.get("content-location")


def read_annotations(data: bytes) -> Annotations:
    """The annotations at the head of a corpus file (empty when it has none)."""
    head = _head_text(data[:_HEAD])
    comment = _COMMENT.search(head)
    if comment is not None:
        block = comment.group(1)
    else:
        json_test = _JSON_TEST.search(head)
        block = json_test.group(1).removesuffix("-->") if json_test else ""
    description = expect = ""
    headers: dict[str, str] = {}
    for line in block.splitlines():
        keys = list(_KEY.finditer(line))
        for index, key in enumerate(keys):
            end = keys[index + 1].start() if index + 1 < len(keys) else len(line)
            value = line[key.end() : end].strip()
            if key.group(1) == "Description":
                description = value
            elif key.group(1) == "Expect":
                expect = value
            elif ":" in value:
                name, _, header_value = value.partition(":")
                headers[name.strip().lower()] = header_value.strip()
    return Annotations(description, expect, headers)


def _head_text(head: bytes) -> str:
    """The start of a file as text, good enough to read its ASCII annotations."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return head[len(bom) :].decode(name, errors="replace")
    if b"\x00" in head[:8]:
        for name in _WIDE:
            text = head.decode(name, errors="replace")
            if "<!--" in text or "<?xml" in text:
                return text
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start >= len(head) - 3:  # a character cut by the head's end
            return head[: error.start].decode("utf-8")
        return head.decode("latin-1")


def expectations(expect: str) -> list[Expectation]:
    """The checkable equalities of an ``Expect:`` expression (see the module docstring)."""
    try:
        tree = ast.parse(expect.strip(), mode="eval")
    except SyntaxError:
        return []
    return [found for node in _conjuncts(tree.body) for found in _equalities(node)]


def _conjuncts(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
        return [part for value in node.values for part in _conjuncts(value)]
    return [node]


def _equalities(node: ast.expr) -> list[Expectation]:
    """``a == 'x'``, ``'x' == a`` and chains ``a == b == 'x'`` (one literal, every operand)."""
    if not isinstance(node, ast.Compare) or not all(isinstance(op, ast.Eq) for op in node.ops):
        return []
    operands = [node.left, *node.comparators]
    literals = [o.value for o in operands if isinstance(o, ast.Constant)]
    if len(literals) != 1 or not isinstance(literals[0], str):
        return []
    targets = [_target(o) for o in operands if not isinstance(o, ast.Constant)]
    return [Expectation(t[0], t[1], literals[0]) for t in targets if t is not None]


def _target(node: ast.expr) -> tuple[str, int | None] | None:
    """("title" | "link", entry) for ``feed[...]``/``entries[N][...]``; ("encoding", None)."""
    if isinstance(node, ast.Name):
        return ("encoding", None) if node.id == "encoding" else None
    key = _key(node)
    if key not in _FIELDS:
        return None
    owner = node.value if isinstance(node, ast.Subscript | ast.Attribute) else None
    if isinstance(owner, ast.Name) and owner.id == "feed":
        return key, None
    if (
        isinstance(owner, ast.Subscript)
        and isinstance(owner.value, ast.Name)
        and owner.value.id == "entries"
        and isinstance(owner.slice, ast.Constant)
        and type(owner.slice.value) is int
    ):
        return key, owner.slice.value
    return None


def _key(node: ast.expr) -> str | None:
    if isinstance(node, ast.Attribute):
        return node.attr
    if (
        isinstance(node, ast.Subscript)
        and isinstance(node.slice, ast.Constant)
        and isinstance(node.slice.value, str)
    ):
        return node.slice.value
    return None
