"""Write docs/api.md, the Python API reference, from the package's own signatures and docstrings.

Usage: python scripts/make_api_docs.py [--check] [-o PATH]

Documents every name in ``netcluster.__all__`` (classes with their public
methods and properties) plus the public functions of a few modules the other
pages use (``netcluster.metrics``, ``netcluster.home``, ``netcluster.export``,
``netcluster.graph_formats``), grouped by module as in the package docstring.
Docstrings are numpydoc; they are turned into Markdown by a small converter
that knows the constructs netcluster's docstrings use (sections, parameter
lists, definition lists, doctest blocks, ``::`` literal blocks, ``.. math::``,
simple tables, inline roles) and leaves other text in place.

With --check, exit 1 when docs/api.md differs from what would be written
(the test suite runs this check, so the reference never drifts from the code).
With -o PATH, write there instead of docs/api.md.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import re
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import netcluster

TARGET = Path(__file__).resolve().parents[1] / "docs" / "api.md"

#: Module sections in page order: (module, narrative page, extra names beyond netcluster.__all__).
#: Each name of netcluster.__all__ goes to the section of the module that defines it.
SECTIONS: tuple[tuple[str, str | None, tuple[str, ...]], ...] = (
    ("netcluster", "index.md", ()),
    ("netcluster.network", "network.md", ()),
    ("netcluster.loaders", "records/index.md", ()),
    ("netcluster.home", "metrics.md", ("home_set", "parse_home", "describe_home")),
    ("netcluster.metrics", "metrics.md", ("*",)),
    ("netcluster.analyze", "metrics.md", ()),
    ("netcluster.capacity", "scaling.md", ("*",)),
    ("netcluster.neighbourhood", "scaling.md", ("*",)),
    ("netcluster.sql.aggregate", "scaling.md", ("*",)),
    ("netcluster.communities", "communities.md", ()),
    ("netcluster.gaps", "gaps.md", ()),
    ("netcluster.suggestions", "gaps.md", ()),
    ("netcluster.backtest", "gaps.md", ()),
    ("netcluster.evidence", "evidence.md", ()),
    ("netcluster.trends", "trends.md", ()),
    ("netcluster.report", "report.md", ()),
    ("netcluster.graph_formats", "exports.md", ("*",)),
    ("netcluster.export", "exports.md", ("*",)),
    ("netcluster.sample_graphs", None, ("*",)),
    ("netcluster.errors", None, ()),
)

INTRO = """# Python API reference

Generated from the signatures and docstrings of the package by `scripts/make_api_docs.py`;
do not edit by hand. The narrative pages ([index](index.md)) explain the concepts; this page
lists every name of `netcluster.__all__`, grouped by the module that defines it, with the
public functions of `netcluster.metrics`, `netcluster.home`, `netcluster.export` and
`netcluster.graph_formats`. Names of `netcluster.__all__` are importable from `netcluster`
directly; the signature shows the shortest import path. The examples are doctests that the
test suite runs.
"""

SECTION_TITLES = {
    "Parameters", "Other Parameters", "Attributes", "Returns", "Yields", "Raises", "Warns",
    "See Also", "Notes", "References", "Examples", "Warnings", "Methods",
}

#: Sections whose body is a list of ``name : type`` entries with indented descriptions.
ENTRY_SECTIONS = {"Parameters", "Other Parameters", "Attributes", "Returns", "Yields", "Raises", "Warns",
                  "See Also"}

WIDTH = 88


# -- what is documented ---------------------------------------------------------------------
def sections() -> list[tuple[ModuleType, str | None, list[str]]]:
    """The module sections with the names each documents, in page order."""
    placed: dict[str, list[str]] = {module: [] for module, _, _ in SECTIONS}
    for name in netcluster.__all__:
        if not inspect.ismodule(getattr(netcluster, name)):  # a module is a section of its own
            placed[_home_module(name)].append(name)
    result = []
    for module_name, page, extras in SECTIONS:
        module = importlib.import_module(module_name)
        names = placed[module_name]
        wanted = list(getattr(module, "__all__", ())) if extras == ("*",) else list(extras)
        for name in wanted:
            obj = getattr(module, name)
            if (inspect.isfunction(obj) or inspect.isclass(obj)) and name not in names:
                names.append(name)
        result.append((module, page, names))
    return result


def documented() -> Iterator[tuple[str, Any]]:
    """(dotted name, object) of every function and class the page documents, methods excluded."""
    for module, _, names in sections():
        for name in names:
            obj = getattr(module, name)
            if inspect.isfunction(obj) or inspect.isclass(obj):
                yield f"{module.__name__}.{name}", obj


def _home_module(name: str) -> str:
    """The section of a name of netcluster.__all__: the longest section module that holds it."""
    obj = getattr(netcluster, name)
    if name == "__version__":
        return "netcluster"
    where = obj.__name__ if inspect.ismodule(obj) else getattr(obj, "__module__", "")
    candidates = [m for m, _, _ in SECTIONS if m != "netcluster" and (where == m or where.startswith(m + "."))]
    if not candidates:
        raise SystemExit(f"make_api_docs: netcluster.{name} (from {where!r}) belongs to no section; "
                         "add its module to SECTIONS in scripts/make_api_docs.py")
    return max(candidates, key=len)


# -- the page -------------------------------------------------------------------------------
def render() -> str:
    """The whole reference page as text."""
    parts = [INTRO]
    for module, page, names in sections():
        parts.append(_module_section(module, page, names))
    text = "\n\n".join(parts).rstrip("\n") + "\n"
    address = re.search(r"<[^<>]* at 0x[0-9a-fA-F]+>", text)
    if address:
        raise SystemExit(f"make_api_docs: an object prints with its memory address: {address.group(0)}")
    return text


def _module_section(module: ModuleType, page: str | None, names: list[str]) -> str:
    out = [f"## `{module.__name__}`", ""]
    summary, extended, _ = _parse(inspect.getdoc(module) or "")
    out += _blocks(summary + [""] + extended)
    if page is not None and module.__name__ != "netcluster":
        out += ["", f"See also [{page}]({page})."]
    out.append("")
    for name in names:
        out += _item(module, name)
    return "\n".join(_tidy(out))


def _item(module: ModuleType, name: str) -> list[str]:
    obj = getattr(module, name)
    path = _public_path(module, name)
    if name == "__version__":
        return [f"### `{name}`", "", "```python", f"{path}: str", "```", "",
                "The version of the installed package, as text (also `netcluster --version`).", ""]
    if inspect.isclass(obj):
        return _class(obj, name, path)
    if inspect.isfunction(obj):
        out = [f"### `{name}`", "", "```python", _signature(obj, path), "```", ""]
        return out + _docstring(inspect.getdoc(obj) or "") + [""]
    raise SystemExit(f"make_api_docs: {module.__name__}.{name} is neither a function nor a class")


def _class(cls: type, name: str, path: str) -> list[str]:
    out = [f"### `{name}`", "", "```python", _signature(cls, path, is_class=True), "```", ""]
    bases = [b for b in cls.__bases__ if b is not object]
    if bases:
        out += ["Subclass of " + ", ".join(f"`{b.__name__}`" for b in bases) + ".", ""]
    out += _docstring(inspect.getdoc(cls) or "") + [""]
    for member_name, member in vars(cls).items():
        if member_name.startswith("_"):
            continue
        title = f"#### `{name}.{member_name}`"
        if isinstance(member, property):
            returns = inspect.signature(member.fget).return_annotation if member.fget else inspect.Signature.empty
            line = f"{name}.{member_name}" + ("" if returns is inspect.Signature.empty else f": {_annotation(returns)}")
            out += [title, "", "```python", line + "  # property", "```", ""]
            out += _docstring(inspect.getdoc(member) or "") + [""]
        elif isinstance(member, (classmethod, staticmethod)) or inspect.isfunction(member):
            function = member.__func__ if isinstance(member, (classmethod, staticmethod)) else member
            bound = not isinstance(member, staticmethod)
            signature = _signature(function, f"{name}.{member_name}", drop_first=bound)
            if isinstance(member, classmethod):
                signature += "  # classmethod"
            elif isinstance(member, staticmethod):
                signature += "  # staticmethod"
            out += [title, "", "```python", signature, "```", ""]
            out += _docstring(inspect.getdoc(function) or "") + [""]
    return out


def _public_path(module: ModuleType, name: str) -> str:
    return f"netcluster.{name}" if name in netcluster.__all__ else f"{module.__name__}.{name}"


# -- signatures -----------------------------------------------------------------------------
class _Text:
    """Prints as the given text: annotations and defaults as written, never with quotes or addresses."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _signature(obj: Callable[..., Any], path: str, *, is_class: bool = False, drop_first: bool = False) -> str:
    signature = inspect.signature(obj)
    parameters = list(signature.parameters.values())[1 if drop_first else 0:]
    factories = {f.name: f.default_factory for f in dataclasses.fields(obj)} if (
        is_class and dataclasses.is_dataclass(obj)) else {}
    parts: list[str] = []
    star = False
    for index, parameter in enumerate(parameters):
        if parameter.kind is parameter.VAR_POSITIONAL:
            star = True
        if parameter.kind is parameter.KEYWORD_ONLY and not star:
            parts.append("*")
            star = True
        changes: dict[str, Any] = {}
        if parameter.annotation is not parameter.empty:
            changes["annotation"] = _Text(_annotation(parameter.annotation))
        if parameter.default is not parameter.empty:
            factory = factories.get(parameter.name, dataclasses.MISSING)
            text = (f"{getattr(factory, '__qualname__', repr(factory))}()" if factory is not dataclasses.MISSING
                    else _default(parameter.default, f"{path}({parameter.name})"))
            changes["default"] = _Text(text)
        parts.append(str(parameter.replace(**changes)))
        following = parameters[index + 1] if index + 1 < len(parameters) else None
        if parameter.kind is parameter.POSITIONAL_ONLY and (
                following is None or following.kind is not parameter.POSITIONAL_ONLY):
            parts.append("/")
    returns = signature.return_annotation
    tail = "" if is_class or returns is signature.empty else f" -> {_annotation(returns)}"
    one_line = f"{path}({', '.join(parts)}){tail}"
    if len(one_line) <= WIDTH:
        return one_line
    return f"{path}(\n" + "".join(f"    {part},\n" for part in parts) + f"){tail}"


def _annotation(annotation: Any) -> str:
    if isinstance(annotation, str):
        return annotation
    return inspect.formatannotation(annotation)


def _default(value: Any, where: str) -> str:
    if inspect.isfunction(value) or inspect.isclass(value) or inspect.isbuiltin(value):
        return value.__qualname__
    if isinstance(value, (set, frozenset)):
        inner = ", ".join(sorted(repr(v) for v in value))
        return f"{type(value).__name__}({{{inner}}})" if value else f"{type(value).__name__}()"
    text = repr(value)
    if re.search(r" at 0x[0-9a-fA-F]+", text):
        raise SystemExit(f"make_api_docs: the default of {where} prints with its memory address ({text}); "
                         "teach _default in scripts/make_api_docs.py to print it")
    return text


# -- docstrings -----------------------------------------------------------------------------
def _parse(doc: str) -> tuple[list[str], list[str], list[tuple[str, list[str]]]]:
    """Split a cleaned docstring into summary lines, extended description and (title, body) sections."""
    lines = doc.expandtabs().splitlines()
    head: list[str] = []
    found: list[tuple[str, list[str]]] = []
    current = head
    index = 0
    while index < len(lines):
        line = lines[index]
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if (line.strip() and not line[0].isspace() and re.fullmatch(r"-{3,}\s*", following)
                and (line.strip() in SECTION_TITLES or len(following.strip()) == len(line.strip()))):
            body: list[str] = []
            found.append((line.strip(), body))
            current = body
            index += 2
            continue
        current.append(line)
        index += 1
    while head and not head[0].strip():
        head.pop(0)
    end = head.index("") if "" in head else len(head)
    summary, extended = head[:end], head[end:]
    return summary, extended, found


def _docstring(doc: str) -> list[str]:
    summary, extended, found = _parse(doc)
    out = _blocks(summary + [""] + extended)
    for title, body in found:
        body = textwrap.dedent("\n".join(body)).splitlines()
        out += ["", f"**{title}**", ""]
        out += _entries(title, body) if title in ENTRY_SECTIONS else _blocks(body)
    return _tidy(out)


def _entries(title: str, lines: list[str]) -> list[str]:
    """A parameter-like section: one bullet per unindented line, its indented description below."""
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            index += 1
            continue
        if line[0].isspace():  # text that belongs to no entry: keep it as text
            block, index = _take_indented(lines, index, -1)
            out += ["", *_blocks(textwrap.dedent("\n".join(block)).splitlines()), ""]
            continue
        description, index = _take_indented(lines, index + 1, 0)
        out.append("- " + _term(title, line.strip()))
        text = _blocks(textwrap.dedent("\n".join(description)).splitlines())
        if any(t.strip() for t in text):
            out += [""] + [("  " + t) if t.strip() else "" for t in _tidy(text)] + [""]
    return out


def _term(title: str, term: str) -> str:
    name, colon, kind = term.partition(" : ")
    if title in ("Returns", "Yields") and not colon:
        return _inline(term)
    if title in ("Raises", "Warns"):
        return f"`{term}`"
    if title == "See Also":
        return f"`{name.strip()}`" + (f": {_inline(kind.strip())}" if colon else "")
    return f"`{name.strip()}`" + (f" : {_inline(kind.strip())}" if colon else "")


def _take_indented(lines: list[str], start: int, indent: int) -> tuple[list[str], int]:
    """Lines from ``start`` that are blank or indented more than ``indent``; trailing blanks left."""
    index = start
    while index < len(lines) and (not lines[index].strip() or _indent(lines[index]) > indent):
        index += 1
    while index > start and not lines[index - 1].strip():
        index -= 1
    return lines[start:index], index


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


_BULLET = re.compile(r"([-*+]|\d+\.)\s+")
_TABLE_BORDER = re.compile(r"=+( +=+)+|=+")


def _blocks(lines: list[str]) -> list[str]:
    """reStructuredText body text as Markdown."""
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        indent = _indent(line)
        if not stripped:
            out.append("")
            index += 1
        elif stripped.startswith(">>>"):  # doctest block: up to the next blank line
            end = index
            while end < len(lines) and lines[end].strip():
                end += 1
            out += ["```python", *textwrap.dedent("\n".join(lines[index:end])).splitlines(), "```"]
            index = end
        elif stripped.startswith(".. math::"):
            body, index = _take_indented(lines, index + 1, indent)
            out += ["```math", *textwrap.dedent("\n".join(body)).strip("\n").splitlines(), "```"]
        elif _TABLE_BORDER.fullmatch(stripped) and len(stripped) >= 3:
            end, borders = index, 0
            while end < len(lines):
                if _TABLE_BORDER.fullmatch(lines[end].strip()):
                    borders += 1
                    if borders >= 2 and (end + 1 == len(lines) or not lines[end + 1].strip()):
                        end += 1
                        break
                end += 1
            out += _table(textwrap.dedent("\n".join(lines[index:end])).splitlines())
            index = end
        elif re.match(r"\.\. \[[^\]]+\]", stripped):  # citation: ".. [1] text"
            body, end = _take_indented(lines, index + 1, indent)
            out.append(_inline(stripped[3:] + "".join(" " + b.strip() for b in body if b.strip())))
            index = end
        elif indent > 0:  # a block quote: in these docstrings, a formula set off from the text
            body, index = _take_indented(lines, index, 0)
            out += ["```text", *textwrap.dedent("\n".join(body)).splitlines(), "```"]
        else:
            index = _paragraph(lines, index, out)
    return out


def _table(lines: list[str]) -> list[str]:
    """A simple reStructuredText table (``===`` borders) as a Markdown table."""
    spans = [match.span() for match in re.finditer(r"=+", lines[0])]
    rows: list[list[str]] = []
    for line in lines[1:-1]:  # the first row is the header, whether or not a border follows it
        if not line.strip() or _TABLE_BORDER.fullmatch(line.strip()):
            continue
        cells = [line[start:(end if column + 1 < len(spans) else None)].strip()
                 for column, (start, end) in enumerate(spans)]
        if rows and not cells[0]:  # a continuation line of the row above
            rows[-1] = [f"{old} {new}".strip() for old, new in zip(rows[-1], cells)]
        else:
            rows.append(cells)
    text = [[_inline(cell).replace("|", "\\|") for cell in row] for row in rows]
    out = ["| " + " | ".join(text[0]) + " |", "|" + "|".join("---" for _ in spans) + "|"]
    return out + ["| " + " | ".join(row) + " |" for row in text[1:]]


def _paragraph(lines: list[str], index: int, out: list[str]) -> int:
    """One paragraph, list item or definition; returns the index after it."""
    first = lines[index]
    indent = _indent(first)
    following = lines[index + 1] if index + 1 < len(lines) else ""
    bullet = _BULLET.match(first.strip())
    if following.strip() and _indent(following) > indent and not bullet and not first.rstrip().endswith("::"):
        # definition list item: a one-line term with its definition indented below
        body, end = _take_indented(lines, index + 1, indent)
        out += ["- " + _inline(first.strip()), ""]
        out += [("  " + t) if t.strip() else "" for t in _tidy(_blocks(textwrap.dedent("\n".join(body)).splitlines()))]
        out.append("")
        return end
    continuation = indent + (len(bullet.group(0)) if bullet else 0)
    end = index + 1
    while end < len(lines) and lines[end].strip() and not lines[end].strip().startswith(">>>"):
        if _indent(lines[end]) != (continuation if bullet else indent):
            break
        end += 1
    text = [lines[index].strip()] + [("  " if bullet else "") + _plain(line.strip()) for line in lines[index + 1:end]]
    literal = text[-1].endswith("::")
    if literal:
        last = text[-1][:-2].rstrip()
        text[-1] = (last + ":") if last and not text[-1].endswith(" ::") else last
        if not text[-1].strip():
            text.pop()
    out += _inline("\n".join(text)).split("\n")
    if literal:
        start = end
        while start < len(lines) and not lines[start].strip():
            start += 1
        body, after = _take_indented(lines, start, indent)
        if body:
            out += ["", "```text", *textwrap.dedent("\n".join(body)).splitlines(), "```"]
            return after
    return end


def _plain(line: str) -> str:
    """A paragraph's continuation line, escaped where Markdown would start a list, heading or quote."""
    return "\\" + line if re.match(r"([-+*]|#+|>)(\s|$)|\d+[.)]\s", line) else line


def _inline(text: str) -> str:
    """Inline reStructuredText as Markdown: ``code`` and :role:`target` become `code`."""

    def role(match: re.Match[str]) -> str:
        target = match.group(1)
        shown = re.match(r"(.*?)\s*<(.+)>$", target)
        if shown:
            return f"`{shown.group(1)}`"
        if target.startswith("~"):
            target = target[1:].rsplit(".", 1)[-1]
        return f"`{target}`"

    text = re.sub(r":[a-z]+(?::[a-z]+)?:`([^`]+)`", role, text)
    return re.sub(r"``(.+?)``", r"`\1`", text, flags=re.DOTALL)


def _tidy(lines: list[str]) -> list[str]:
    """No runs of blank lines, none at either end."""
    out: list[str] = []
    for line in lines:
        line = line.rstrip()
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return out


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        return 0 if current == text else 1
    target = Path(argv[argv.index("-o") + 1]) if "-o" in argv else TARGET
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
