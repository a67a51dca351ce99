"""Print the commands of the README's "Quick start" block, one per line (used by .ci/run and the tests)."""

from __future__ import annotations

import re
import sys
from pathlib import Path


def quickstart_commands(readme: Path) -> list[str]:
    text = readme.read_text(encoding="utf-8")
    match = re.search(r"^#+[^\n]*quick ?start[^\n]*\n.*?^```[^\n]*\n(.*?)^```", text, re.I | re.M | re.S)
    if not match:
        raise SystemExit("README.md has no Quick start code block")
    lines = re.sub(r"\\\n\s*", " ", match.group(1)).splitlines()
    return [line.split(" #")[0].strip() for line in lines if line.strip() and not line.strip().startswith("#")]


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    print("\n".join(quickstart_commands(root / "README.md")))
    sys.exit(0)
