"""Before and while a descriptor is read: the folder and the file are real and small enough, and the
parser is refused aliases, tags beyond plain data, repeated keys and deep nesting."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from generator.issues import Issue, Message, msg, show
from generator.read.guard.names import DATASET_NAME, shown_path

# A descriptor is metadata: the largest real one we know (country-codes) is 14 kB. The limit is checked on
# the file's size before it is read, so a huge file is never parsed.
MAX_DESCRIPTOR_BYTES = 1024 * 1024
# Real descriptors nest about 8 levels (resources / schema / fields / constraints / enum). A deeper one is
# refused before the parser's recursion (or frictionless') can hit Python's limit.
MAX_NESTING = 50
# The plain-data tags of YAML: everything a JSON descriptor can hold. ``!!binary``, ``!!set``,
# ``!!timestamp``, ``!!python/...`` and local tags are refused.
_CORE_TAGS = frozenset(f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "seq", "map"))
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


def check_descriptor_file(path: Path, root: Path) -> Iterator[Issue]:
    """The descriptor may be read: its folder has a safe name, neither is a symbolic link (reading through
    one would read whatever it points at), and it is a regular file of at most ``MAX_DESCRIPTOR_BYTES``."""
    folder = path.parent
    file = shown_path(path, root)
    dataset = folder.name
    if not DATASET_NAME.fullmatch(folder.name):
        yield Issue(
            shown_path(folder, root) if folder.name.isprintable() else show(shown_path(folder, root)),
            None,
            None,
            "unsafe-name",
            msg(
                "The dataset folder name {name} is not a safe name: it becomes a folder and an address on the site.",
                name=show(folder.name),
            ),
            msg(
                "Rename the folder (and the package's `name`) with lower-case letters, digits and hyphens only, "
                "e.g. `production-value`."
            ),
            dataset=dataset,
        )
        return
    for link, what in (
        (folder, msg("The dataset folder is a symbolic link; it is not read.")),
        (path, msg("The descriptor is a symbolic link; it is not read.")),
    ):
        if link.is_symlink():
            yield Issue(
                shown_path(link, root),
                None,
                None,
                "unsafe-path",
                what,
                msg("Replace the symbolic link with the real folder or file, inside datasets/."),
                dataset=dataset,
            )
            return
    if not path.is_file():
        return  # find_descriptors only returns files; a race is not worth a message
    size = path.stat().st_size
    if size > MAX_DESCRIPTOR_BYTES:
        yield Issue(
            file,
            None,
            None,
            "descriptor-too-large",
            msg(
                "The descriptor is {size} bytes; the limit is {limit} bytes (1 MiB). It was not read.",
                size=size,
                limit=MAX_DESCRIPTOR_BYTES,
            ),
            msg("Keep {file} to metadata: put data in CSV files and refer to them with `path`.", file=file),
            dataset=dataset,
        )


class DescriptorRefused(yaml.MarkedYAMLError):
    """A descriptor that parses but holds something refused on purpose (a tag, a repeated key): it has its
    own problem code, unlike a syntax error."""

    def __init__(self, code: str, problem: Message, hint: Message, mark: Any = None) -> None:
        super().__init__(problem=str(problem), problem_mark=mark)
        self.code = code
        self.detail = problem
        self.hint = hint  # ``{file}`` is the descriptor, filled by the caller

    @property
    def line(self) -> int | None:
        mark = self.problem_mark
        return int(mark.line) + 1 if mark is not None else None


class _PlainData:
    """How a descriptor's nodes become values, on either loader: a repeated key is refused, and dates stay
    text (the timestamp resolver is left out of the loader's copy of the resolvers, set below)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    raise DescriptorRefused(
                        "descriptor-duplicate-key",
                        msg("the key {key} is given twice in one mapping", key=show(key.value)),
                        _DUPLICATE_HINT,
                        key.start_mark,
                    )
                seen.add(key.value)
        return super().construct_mapping(node, deep=deep)  # type: ignore[misc, no-any-return]


class DescriptorLoader(_PlainData, yaml.SafeLoader):
    """PyYAML's safe loader, narrowed to plain data:

    - aliases are refused before they are expanded (an alias bomb never grows);
    - explicit tags other than the plain-data ones are refused (``!!python/object`` is already unknown to
      the safe loader, but ``!!binary`` or ``!!set`` would give values no descriptor can hold);
    - a key given twice in a mapping is refused (YAML keeps the last one and silently drops the other);
    - nesting deeper than ``MAX_NESTING`` is refused before the composer's recursion can overflow;
    - dates are read as text (a JSON descriptor holds them as text too; frictionless expects strings).
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        _refuse(event, self._depth)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


# Dates stay text: the timestamp resolver is left out of the loaders' own copy of the resolvers.
_PlainData.yaml_implicit_resolvers = {  # type: ignore[attr-defined]
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_DUPLICATE_HINT = msg("Keep one of the two keys in {file}: the parser would silently drop the first one.")


class Unreadable(ValueError):
    """A descriptor that cannot be read, for a reason the generator words itself (``detail``), rather than
    the parser."""

    def __init__(self, detail: Message) -> None:
        super().__init__(str(detail))
        self.detail = detail


# libyaml through PyYAML's C binding, where it is built (Debian's and PyPI's wheels have it): the same rules as
# ``DescriptorLoader`` at about six times the speed (1,000 descriptors: 11 s in pure Python). The C composer
# cannot be given ``compose_node``, so aliases, tags and nesting are screened on the C parser's events first.
_C_LOADER: type | None = getattr(yaml, "CSafeLoader", None)


if _C_LOADER is not None:

    class FastDescriptorLoader(_PlainData, _C_LOADER):  # type: ignore[misc, valid-type]
        """``DescriptorLoader``'s rules on libyaml: ``parse_yaml`` screens the events (aliases, tags,
        nesting) before this loader composes them."""


def _screen(text: str) -> None:
    """``DescriptorLoader.compose_node``'s refusals on libyaml's events, with the same codes and marks."""
    depth = 0
    for event in yaml.parse(text, Loader=_C_LOADER):  # type: ignore[arg-type]
        if isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.NodeEvent):
            _refuse(event, depth)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1


def _refuse(event: Any, depth: int) -> None:
    """Raise ``DescriptorRefused`` for a node that is an alias, has a tag beyond plain data, or would sit
    deeper than ``MAX_NESTING`` (``depth``: how many collections hold it)."""
    mark: Any = event.start_mark
    if isinstance(event, yaml.AliasEvent):
        raise DescriptorRefused(
            "descriptor-syntax",
            msg("YAML aliases (*name) are not allowed"),
            msg("Write the values out in {file} instead of repeating them with &anchors and *aliases."),
            mark,
        )
    tag = getattr(event, "tag", None)
    if tag not in (None, "!") and tag not in _CORE_TAGS:
        shown = "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag
        raise DescriptorRefused(
            "descriptor-tag",
            msg("the YAML tag {tag} is not allowed", tag=show(shown)),
            msg("Remove the tag from {file}: a descriptor holds only text, numbers, lists and mappings."),
            mark,
        )
    if depth + 1 > MAX_NESTING:
        raise DescriptorRefused(
            "descriptor-syntax",
            msg("it is nested more than {limit} levels deep", limit=MAX_NESTING),
            msg("Simplify {file}: a descriptor needs only a few levels of lists and mappings."),
            mark,
        )


def parse_yaml(text: str) -> Any:
    """A YAML descriptor as plain data. Raises ``DescriptorRefused`` or another ``yaml.YAMLError``, or
    ``Unreadable`` (an integer too long for Python to convert)."""
    if _C_LOADER is not None:
        try:
            _screen(text)
            return _load(FastDescriptorLoader(text))
        except DescriptorRefused:
            raise
        except (yaml.YAMLError, Unreadable):
            pass  # read again in pure Python: a problem is reported in its words (libyaml also refuses
            # some text PyYAML reads, such as half a surrogate pair, which the text rules then name)
    return _load(DescriptorLoader(text))


def _load(loader: Any) -> Any:
    try:
        return loader.get_single_data()
    except ValueError as exc:
        raise _plain_value_error(exc) from exc
    finally:
        loader.dispose()


def parse_json(text: str) -> Any:
    """A JSON descriptor as plain data. Raises ``DescriptorRefused`` for a repeated key, ``ValueError`` for
    invalid JSON, and ``Unreadable`` for ``NaN`` and ``Infinity`` (which JSON does not have), a nesting too
    deep to read and an integer too long to convert."""

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = Counter(k for k, _ in items)
        twice = [k for k, n in keys.items() if n > 1]
        if twice:
            raise DescriptorRefused(
                "descriptor-duplicate-key",
                msg("the key {key} is given twice in one object", key=show(twice[0])),
                _DUPLICATE_HINT,
            )
        return dict(items)

    def constant(name: str) -> Any:
        raise Unreadable(msg("{name} is not a JSON number", name=name))

    try:
        return json.loads(text, object_pairs_hook=pairs, parse_constant=constant)
    except RecursionError as exc:
        raise Unreadable(msg("the descriptor is nested too deeply to read")) from exc
    except (json.JSONDecodeError, Unreadable):
        raise
    except ValueError as exc:
        raise _plain_value_error(exc) from exc


def _plain_value_error(exc: ValueError) -> ValueError:
    """Python's refusal of a number with thousands of digits, in a maintainer's words."""
    if "integer string conversion" in str(exc):
        return Unreadable(msg("a number has more than {digits} digits", digits=4300))
    return ValueError(str(exc))


def _deeper_than(value: object, limit: int) -> bool:
    """Whether ``value`` nests more than ``limit`` lists or mappings (iteratively: no recursion to exhaust)."""
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, Mapping | list):
            if depth >= limit:
                return True
            children = item.values() if isinstance(item, Mapping) else item
            stack.extend((child, depth + 1) for child in children)
    return False
