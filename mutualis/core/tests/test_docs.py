"""The documents stay a short README plus docs/: every command and setting documented, no dead link."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "mutualis"
README = ROOT / "README.md"
README_MAX_LINES = 250
# Markdown inline links and images: [text](target) and ![alt](target).
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def documents() -> list[Path]:
    return [README, *sorted((ROOT / "docs").glob("*.md"))]


def documented_text() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in documents())


def management_commands() -> list[str]:
    return sorted(
        path.stem
        for path in PACKAGE.glob("*/management/commands/*.py")
        if not path.stem.startswith("_")
    )


def environment_variables_read_by_settings() -> set[str]:
    """Names passed to os.environ.get / os.getenv / env_bool / env_list in mutualis/settings.py."""
    tree = ast.parse((PACKAGE / "settings.py").read_text(encoding="utf-8"))
    readers = {"get", "getenv", "env_bool", "env_list"}
    names = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        first = node.args[0]
        name = first.value if isinstance(first, ast.Constant) else None
        if called in readers and isinstance(name, str) and re.fullmatch(r"[A-Z][A-Z0-9_]+", name):
            names.add(name)
    return names


def undocumented(names, text: str) -> list[str]:
    """The names that appear in no code span (`...`) of the text."""
    spans = "\n".join(re.findall(r"`([^`\n]+)`", text))
    return [name for name in sorted(names) if not re.search(rf"\b{name}\b", spans)]


def broken_links(path: Path) -> list[str]:
    """Relative link targets of a Markdown file that name no existing file."""
    broken = []
    for target in LINK.findall(path.read_text(encoding="utf-8")):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue  # an address (https:, mailto:) or an anchor in the same page
        if not (path.parent / target.split("#", 1)[0]).exists():
            broken.append(target)
    return broken


def test_readme_is_one_page():
    lines = README.read_text(encoding="utf-8").count("\n")
    assert lines <= README_MAX_LINES, (
        f"README.md has {lines} lines (at most {README_MAX_LINES}): move the detail to docs/"
    )


def test_every_management_command_is_documented():
    commands = management_commands()
    assert "load_demo" in commands  # the glob finds the package's commands
    assert undocumented(commands, documented_text()) == []


def test_every_environment_variable_of_the_settings_is_documented():
    names = environment_variables_read_by_settings()
    assert {"MUTUALIS_SECRET_KEY", "DATABASE_URL"} <= names  # the reader finds the settings' names
    assert undocumented(names, documented_text()) == []


def test_relative_links_point_at_existing_files():
    broken = {str(path.relative_to(ROOT)): broken_links(path) for path in documents()}
    assert {name: targets for name, targets in broken.items() if targets} == {}


def test_undocumented_names_are_caught():
    text = "`mutualis issue_calls`, `MUTUALIS_DEBUG`; `import_feeds_extra`, send_digest bare"
    assert undocumented(["issue_calls", "MUTUALIS_DEBUG", "import_feeds", "send_digest"], text) == [
        "import_feeds",
        "send_digest",
    ]


def test_a_broken_relative_link_is_caught(tmp_path):
    (tmp_path / "here.md").write_text("ok")
    page = tmp_path / "page.md"
    page.write_text("[a](here.md) [b](https://example.org) [c](#top) ![d](missing.png#x)")
    assert broken_links(page) == ["missing.png#x"]
