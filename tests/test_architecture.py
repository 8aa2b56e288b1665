"""The package reads as its pipeline: imports run one way through the stages, and only urls.py
spells a path of the built site (in Python, templates and scripts)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "hubsite"

# In stage order; a module may import its own layer and the ones before it, never a later one.
LAYERS = (
    ("hubsite.options", "hubsite.problems", "hubsite.memo", "hubsite.incremental", "hubsite.urls", "hubsite.languages", "hubsite.processes", "hubsite.fingerprint"),  # what every stage shares
    ("hubsite.content",),
    ("hubsite.directory",),
    ("hubsite.render",),
    ("hubsite.output",),
    ("hubsite.pipeline",),
    ("hubsite.commands",),
    ("hubsite.cli",),
)


def layer_of(module: str) -> int | None:
    for index, names in enumerate(LAYERS):
        if any(module == name or module.startswith(name + ".") for name in names):
            return index
    return None


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, module) of every import of hubsite, wherever it stands (in functions too)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names] if node.module == "hubsite" else [node.module]
            found += [(node.lineno, name) for name in names]
    return [(line, name) for line, name in found if name.startswith("hubsite")]


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_belongs_to_a_layer() -> None:
    loose = [module_name(path) for path in MODULES if layer_of(module_name(path)) is None and module_name(path) != "hubsite"]
    assert loose == []


def backward_imports(module: str, source: str) -> list[str]:
    """'line: module imports later.module' for each import of `source` that runs against the stage order."""
    here = layer_of(module)
    return [f"{line}: {module} imports {name}" for line, name in imported(ast.parse(source))
            if here is not None and (layer_of(name) or 0) > here]


def test_imports_run_one_way_through_the_stages() -> None:
    found = [f"{path.relative_to(ROOT)}:{problem}" for path in MODULES for problem in backward_imports(module_name(path), path.read_text(encoding="utf-8"))]
    assert found == []


def test_the_check_catches_a_backward_import() -> None:
    """The rule above is not vacuous: validation importing the renderer, even inside a function, is caught."""
    source = "def f():\n    from hubsite.render.pages import hub_page\n"
    assert backward_imports("hubsite.content.validate", source) == ["2: hubsite.content.validate imports hubsite.render.pages"]
    assert backward_imports("hubsite.render.pages", "from hubsite.content import validate\n") == []


# --- only urls.py spells a path of the site ---------------------------------------------------

# The first parts of the site's own paths, and its fixed file names.
SITE_PATH = re.compile(r"(?<![\w/.-])(?:hubs|partners|countries|courses|schema|assets)/|(?<![\w/.-])(?:calendar\.ics|feed\.xml|sitemap\.xml|robots\.txt|hubs\.json|hubs\.geojson|map\.json|_headers|404\.html|index\.html)\b|(?<=\w)\.ics\b")


def strings(tree: ast.AST) -> list[tuple[int, str]]:
    """Every string literal that is not a docstring, with its line."""
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [(node.lineno, node.value) for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


# Strings that name files or folders but not paths of the built site.
NOT_SITE_PATHS = (
    "content/",  # the content folder: hubs/ and partners/ there are record files
    "templates/",  # template names (hub.html) and the static folder
    "in partners/",  # "no partner 'x' in partners/": the content folder again
)
TEMPLATE_NAMES = re.compile(r"^[a-z0-9_]+\.html$")


def is_prose(text: str) -> bool:
    """A sentence (a message, a comment in a generated file) may name a file; code that makes a path has no spaces."""
    return text.count(" ") >= 3


def test_no_module_but_urls_spells_a_site_path() -> None:
    spelled = []
    for path in MODULES:
        if path.name == "urls.py":
            continue
        for line, text in strings(ast.parse(path.read_text(encoding="utf-8"))):
            if SITE_PATH.search(text) and not is_prose(text) and not any(word in text for word in NOT_SITE_PATHS) and not TEMPLATE_NAMES.match(text):
                spelled.append(f"{path.relative_to(ROOT)}:{line}: {text[:80]!r}")
    assert spelled == []


# In a template, a link starts from {{ root }} and takes the rest from urls.* (or asset()).
LITERAL_AFTER_ROOT = re.compile(r"\{\{ root \}\}[A-Za-z0-9_.-]")


@pytest.mark.parametrize("template", sorted((ROOT / "templates").rglob("*.html")), ids=lambda p: p.relative_to(ROOT / "templates").as_posix())
def test_templates_take_paths_from_urls(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    assert not LITERAL_AFTER_ROOT.findall(text)
    assert not [m.group(0) for m in re.finditer(r'["(](?:hubs|partners|countries|courses)/', text)]


def test_scripts_take_paths_from_the_page_data() -> None:
    for script in sorted((ROOT / "templates/static/js").glob("*.js")):
        code = re.sub(r"/\*.*?\*/|//[^\n]*", "", script.read_text(encoding="utf-8"), flags=re.S)  # comments may name paths
        assert not re.findall(r"[\"'](?:hubs|partners|countries|courses)/", code), script.name
