"""Guardrails read from the source: a case's status has one writer, and the actors that skip a
staff user's role checks are built only where the rules allow it.

These read every production module of the package (not tests, migrations or the test
factories) with :mod:`ast`, so that a change that breaks a rule fails here with the place
named, before any behaviour shows it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import fengqiao
from fengqiao.cases.actors import CITIZEN_MODULES, SWEEP_MODULES, SWEEP_PACKAGES

PACKAGE = Path(fengqiao.__file__).resolve().parent
# The one function that writes Case.status (the transition table's dispatcher).
STATUS_WRITER = ("fengqiao.cases.services", "transition")
QUERY_WRITES = {"update", "create", "get_or_create", "update_or_create", "bulk_create"}


def production_modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent)
        parts = rel.with_suffix("").parts
        if {"tests", "migrations"} & set(parts) or parts[1:2] == ("testing",):
            continue
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, ast.parse(path.read_text(), filename=str(path))


def functions_by_node(tree: ast.Module) -> dict[ast.AST, str]:
    """Each node of the module mapped to the name of the outermost function holding it."""
    owner: dict[ast.AST, str] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                owner[inner] = node.name
    return owner


def _names_a_case(expr: ast.expr) -> bool:
    """``case``, ``new_case``, ``self.case`` …: an expression that holds a Case."""
    if isinstance(expr, ast.Name):
        return expr.id == "case" or expr.id.endswith("_case")
    if isinstance(expr, ast.Attribute):
        return expr.attr == "case"
    return False


def _queries_cases(expr: ast.expr) -> bool:
    """A query over cases: ``Case.objects…``, ``visible_cases(…)…``, ``Case.…``."""
    text = ast.unparse(expr)
    return text.startswith(("Case.objects", "Case._base_manager", "visible_cases(", "cases_qs"))


def status_writes(tree: ast.Module) -> Iterator[ast.AST]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if (
                    isinstance(target, ast.Attribute)
                    and target.attr == "status"
                    and _names_a_case(target.value)
                ):
                    yield node
        elif isinstance(node, ast.Call):
            func = node.func
            keywords = {k.arg for k in node.keywords}
            if (
                isinstance(func, ast.Attribute)
                and func.attr in QUERY_WRITES
                and "status" in keywords
                and _queries_cases(func.value)
            ):
                yield node
            if (
                isinstance(func, ast.Name)
                and func.id == "setattr"
                and len(node.args) > 1
                and _names_a_case(node.args[0])
                and ast.unparse(node.args[1]) == "'status'"
            ):
                yield node
            if (
                isinstance(func, ast.Attribute)
                and func.attr == "bulk_update"
                and _queries_cases(func.value)
                and "status" in ast.unparse(node)
            ):
                yield node


def test_case_status_has_one_writer():
    writers = []
    for module, tree in production_modules():
        owner = functions_by_node(tree)
        for node in status_writes(tree):
            where = (module, owner.get(node, "<module>"))
            writers.append((*where, node.lineno))
    assert {(m, f) for m, f, _ in writers} == {STATUS_WRITER}, writers


def test_the_status_scan_finds_a_second_writer():
    """The scan itself: a write of a case's status outside transition() is seen."""
    sneaky = ast.parse(
        "def close_quietly(case):\n    case.status = 'closed'\n"
        "def close_all():\n    Case.objects.filter(pk=1).update(status='closed')\n"
        "def fine(order):\n    order.status = 'done'\n"
        "def fine_too(case):\n    case.assignments.filter().update(status='signed')\n"
    )
    owner = functions_by_node(sneaky)
    assert sorted(owner[n] for n in status_writes(sneaky)) == ["close_all", "close_quietly"]


def _calls(tree: ast.Module, name: str) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if called == name:
                yield node


def _sweep_module(module: str) -> bool:
    return module in SWEEP_MODULES or module.startswith(SWEEP_PACKAGES)


@pytest.mark.parametrize(
    ("builder", "allowed"),
    [
        ("sweep_actor", _sweep_module),
        ("citizen_actor", lambda module: module in CITIZEN_MODULES),
        ("SystemActor", lambda module: module == "fengqiao.cases.actors"),
        ("CitizenActor", lambda module: module == "fengqiao.cases.actors"),
    ],
)
def test_actors_that_skip_role_checks_are_built_only_where_allowed(builder, allowed):
    outside = [
        f"{module}:{call.lineno}"
        for module, tree in production_modules()
        for call in _calls(tree, builder)
        if not allowed(module)
    ]
    assert outside == []


def test_every_listed_actor_module_exists_and_builds_its_actor():
    """The lists say where the builders are used: a stale entry would hide a new door."""
    trees = dict(production_modules())
    for module in SWEEP_MODULES:
        assert module in trees, module
        assert any(_calls(trees[module], "sweep_actor")), module
    for module in CITIZEN_MODULES:
        assert module in trees, module
        assert any(_calls(trees[module], "citizen_actor")), module


def test_no_actor_kind_flag_in_production_code():
    flagged = [
        f"{module}:{node.lineno}"
        for module, tree in production_modules()
        for node in ast.walk(tree)
        if (isinstance(node, ast.Name) and node.id == "actor_kind")
        or (isinstance(node, ast.keyword) and node.arg == "actor_kind")
        or (isinstance(node, ast.arg) and node.arg == "actor_kind")
    ]
    assert flagged == []
