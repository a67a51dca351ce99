"""The generator's layout: a one-way pipeline, so no module imports another that (directly or not) imports it
back, whether at the top of the file or inside a function."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "generator"


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports() -> dict[str, set[str]]:
    """Each module of the generator -> the generator modules it imports."""
    modules = {_module(path): path for path in PACKAGE.rglob("*.py")}
    found: dict[str, set[str]] = {}
    for name, path in modules.items():
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "generator":
                deps.add(node.module)
                deps.update(f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in modules)
            elif isinstance(node, ast.Import):
                deps.update(a.name for a in node.names if a.name.split(".")[0] == "generator")
        found[name] = {d for d in deps if d in modules and d != name}
    return found


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph``, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = 1
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == 1:
                return [*path[path.index(dep) :], dep]
            if dep not in state and (found := visit(dep, [*path, dep])):
                return found
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start, [start])):
            return found
    return None


def test_no_module_imports_itself_back() -> None:
    graph = imports()
    assert len(graph) > 30 and "generator.read.guard.data" in graph
    assert cycle(graph) is None, " -> ".join(cycle(graph) or [])


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) is None


# --- the stages: read -> check -> outputs -> publish --------------------------------------------------------------

STAGES = ("read", "check", "outputs", "publish")
SHARED = {"config", "models", "records", "issues", "cache", "vocab", "i18n", "mdsafe", "workers", "timings"}
COMMANDS = {"__main__", "cli", "build", "diff", "scaffold", "workflow_commands"}


def _place(module: str) -> str:
    """``generator.outputs.render`` -> ``outputs``; ``generator.cache`` -> ``cache``."""
    return module.split(".")[1] if module != "generator" else "generator"


def test_every_module_has_its_place() -> None:
    """Each module is a stage's, a shared one or a command; nothing else sits at the top of the package."""
    top = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__"}
    assert top == SHARED | COMMANDS, sorted(top ^ (SHARED | COMMANDS))
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").is_file()} == set(STAGES)


def test_each_stage_imports_only_earlier_stages_and_shared_modules() -> None:
    """One way through the house: a stage never imports a later stage or a command, and a shared module
    imports no stage at all."""
    wrong = []
    for module, deps in imports().items():
        place = _place(module)
        for dep in deps:
            target = _place(dep)
            if place in STAGES:
                allowed = (
                    target in SHARED
                    or target == "generator"
                    or (target in STAGES and STAGES.index(target) <= STAGES.index(place))
                )
            elif place in SHARED:
                allowed = target in SHARED or target == "generator"
            else:
                allowed = True  # the commands call the stages
            if not allowed:
                wrong.append(f"{module} imports {dep}")
    assert not wrong, wrong


def test_readme_draws_the_layout() -> None:
    """README's "How it works" names every module of every stage, and every path it names exists."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## How it works\n", 1)[1].split("\n## ", 1)[0]
    for stage in STAGES:
        for path in sorted((PACKAGE / stage).rglob("*.py")):
            if path.name == "__init__.py" and path.parent.name != "guard":
                continue
            name = path.name if path.name != "__init__.py" else "guard/"
            assert re.search(rf"(?<![\w/]){re.escape(name)}", section), f"README's How it works omits {path}"
        assert f"generator/{stage}/" in section, f"README's How it works omits the stage {stage}"
    for named in re.findall(r"generator/[\w/]+(?:\.py)?", section):
        assert (ROOT / named).exists(), f"README's How it works names {named}, which does not exist"
