"""Read: the site's name, address and description, from the MkDocs configurations (``mkdocs.yml`` and
``mkdocs.en.yml``). Light on purpose: the process that runs MkDocs reads it, and never imports frictionless."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from generator import config
from generator.models import SiteInfo


class _NoAliasLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing aliases before they are expanded (an alias bomb never grows)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise yaml.MarkedYAMLError(problem="YAML aliases (*name) are not allowed", problem_mark=mark)
        return super().compose_node(parent, index)


class _MkDocsLoader(_NoAliasLoader):
    """Reads mkdocs.yml, with MkDocs' ``!ENV`` tag (``!ENV NAME`` or ``!ENV [NAME, ..., default]``)."""


def _env_tag(loader: _MkDocsLoader, node: yaml.Node) -> object:
    names = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [loader.construct_scalar(node)]  # type: ignore[arg-type]
    *variables, default = names if len(names) > 1 else [*names, None]
    return next((os.environ[str(v)] for v in variables if str(v) in os.environ), default)


_MkDocsLoader.add_constructor("!ENV", _env_tag)
# ``!!python/name:generator.publish.mdext.slugify`` (a Markdown extension's option): MkDocs imports it; read here as
# its name only, nothing is imported or run.
_MkDocsLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: suffix)


def _mkdocs(path: Path) -> dict[str, Any]:
    """A MkDocs configuration read as plain YAML (other keys are MkDocs' business); empty when unreadable."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_MkDocsLoader)  # noqa: S506
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def load_site_info(root: Path) -> SiteInfo:
    """``site_name``, ``site_url`` and ``site_description`` from mkdocs.yml, and the English name and
    description from mkdocs.en.yml."""
    data = _mkdocs(root / config.MKDOCS_FILE)
    english = _mkdocs(root / config.MKDOCS_EN_FILE)
    url = str(data.get("site_url") or "")
    return SiteInfo(
        str(data.get("site_name") or ""),
        url if url.endswith("/") or not url else url + "/",
        description=_one_line(data.get("site_description") or ""),
        name_en=str(english.get("site_name") or ""),
        description_en=_one_line(english.get("site_description") or ""),
    )


def _one_line(value: object) -> str:
    return " ".join(str(value).split())
