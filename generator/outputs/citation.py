"""How to cite a dataset: a line a journalist can paste, BibTeX and CSL-JSON for researchers.

Structured forms are built with code (``json.dumps``; BibTeX with its special characters escaped), never in
a template. The date is the dataset's last change in git; the version is the descriptor's.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from generator.models import Dataset, SiteInfo
from generator.outputs.tables import Context

_BIBTEX_SPECIAL = re.compile(r"[\\{}%&$#_^~]")
_BIBTEX_ESCAPES = {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}


@dataclass(frozen=True)
class Citation:
    text: str
    bibtex: str
    csl_json: str


def cite(dataset: Dataset, site: SiteInfo, url_path: str, ctx: Context) -> Citation:
    """The citation of ``dataset``, published at ``url_path`` (relative to the site's root), in the
    language of ``ctx``. The publisher keeps its own (Vietnamese) name in both languages."""
    publisher = site.title("vi")
    url = site.url + url_path if site.url else ""
    changed = dataset.modified
    title = ctx.pick(dataset.title)
    parts = [f"{publisher}{f' ({changed.year})' if changed else ''}.", title]
    if dataset.version:
        parts[-1] += " " + ctx._("(phiên bản {version})").format(version=dataset.version)
    parts[-1] += " " + ctx._("[bộ dữ liệu]") + "."
    if changed:
        parts.append(ctx._("Cập nhật {date}.").format(date=ctx.date(changed)))
    parts.append(url or ctx._("Trang {path} của trang dữ liệu.").format(path=url_path))
    key = re.sub(r"[^a-z0-9]+", "-", f"{dataset.name}-{dataset.version}".lower()).strip("-")
    fields = {
        "title": title,
        "author": "{" + _bibtex(publisher) + "}",
        "publisher": publisher,
        "year": str(changed.year) if changed else "",
        "version": dataset.version,
        "url": url,
        "note": f"{dataset.name}",
    }
    lines = [f"@misc{{{key},"]
    for name, value in fields.items():
        if value:
            escaped = value if name == "author" else _bibtex(value)
            lines.append(f"  {name} = {{{escaped}}},")
    lines.append("}")
    csl: dict[str, object] = {
        "id": key,
        "type": "dataset",
        "title": title,
        "author": [{"literal": publisher}],
        "publisher": publisher,
        "version": dataset.version or None,
        "URL": url or None,
        "issued": {"date-parts": [[changed.year, changed.month, changed.day]]} if changed else None,
        "language": "vi",
    }
    csl_json = json.dumps(
        {k: v for k, v in csl.items() if v is not None}, ensure_ascii=False, allow_nan=False, indent=2
    )
    return Citation(" ".join(parts), "\n".join(lines), csl_json)


def _bibtex(value: str) -> str:
    """A value safe inside BibTeX braces: its special characters escaped, newlines folded."""
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_ESCAPES.get(m.group(), "\\" + m.group()), " ".join(value.split()))
