"""mutualis load_awareness_modules: versions stored, unchanged files skipped, bad files refused."""

import shutil

import pytest
from django.core.management import CommandError, call_command

from mutualis.awareness.content import shipped_modules_directory
from mutualis.awareness.models import AwarenessModule, ModuleVersion, Progress
from mutualis.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def modules_dir(tmp_path):
    target = tmp_path / "modules"
    shutil.copytree(shipped_modules_directory(), target)
    return target


def test_the_demo_loaded_the_nine_shipped_modules():
    assert AwarenessModule.objects.exclude(current_version=None).count() == 9
    version = AwarenessModule.objects.get(slug="phishing").current_version
    assert version.version == 1 and len(version.content_hash) == 64
    assert len(version.content.exercises) == 2


def test_an_unchanged_directory_writes_nothing(capsys):
    versions, events = ModuleVersion.objects.count(), AuditEvent.objects.count()
    call_command("load_awareness_modules")
    assert "0 version enregistrée, 9 inchangées." in capsys.readouterr().out
    assert ModuleVersion.objects.count() == versions
    assert AuditEvent.objects.count() == events


def test_a_malformed_file_is_refused_with_file_line_and_problem_and_nothing_is_written(
    modules_dir,
):
    path = modules_dir / "phishing.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    # A new version of a good file, plus a broken one: neither may be stored.
    (modules_dir / "backups.md").write_text(
        (modules_dir / "backups.md")
        .read_text(encoding="utf-8")
        .replace("version: 1", "version: 2"),
        encoding="utf-8",
    )
    number = next(n for n, line in enumerate(lines, start=1) if line.startswith("pass_mark:"))
    lines[number - 1] = "pass_mark: cent"
    path.write_text("\n".join(lines), encoding="utf-8")
    versions = ModuleVersion.objects.count()
    with pytest.raises(CommandError) as caught:
        call_command("load_awareness_modules", str(modules_dir))
    message = str(caught.value)
    assert f"phishing.md, ligne {number} : « pass_mark » doit être un nombre entier" in message
    assert "Rien n'a été enregistré" in message
    assert ModuleVersion.objects.count() == versions


def test_a_changed_file_that_keeps_its_version_number_is_refused(modules_dir):
    path = modules_dir / "email.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.raises(
        CommandError,
        match=r"email\.md, ligne 8 : la version 1 du module « email » est déjà chargée avec un autre contenu",
    ):
        call_command("load_awareness_modules", str(modules_dir))


def test_a_new_version_becomes_current_and_old_results_keep_their_version(modules_dir, capsys):
    old = AwarenessModule.objects.get(slug="passwords").current_version
    taken = Progress.objects.filter(module_version=old, user__username="odars-agent").get()
    path = modules_dir / "passwords.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("version: 1", "version: 2"), encoding="utf-8"
    )
    call_command("load_awareness_modules", str(modules_dir))
    assert "passwords : version 2 enregistrée." in capsys.readouterr().out
    module = AwarenessModule.objects.get(slug="passwords")
    assert module.current_version.version == 2
    taken.refresh_from_db()
    assert taken.module_version == old and taken.passed_at is not None
    assert AuditEvent.objects.filter(action="awareness.module_loaded").exists()


def test_an_older_version_than_the_stored_one_is_refused(modules_dir):
    path = modules_dir / "updates.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("version: 1", "version: 3"), encoding="utf-8")
    call_command("load_awareness_modules", str(modules_dir))
    path.write_text(text.replace("version: 1", "version: 2"), encoding="utf-8")
    with pytest.raises(CommandError, match="plus ancienne que la version 3"):
        call_command("load_awareness_modules", str(modules_dir))


def test_an_empty_directory_is_refused(tmp_path):
    with pytest.raises(CommandError, match="aucun module"):
        call_command("load_awareness_modules", str(tmp_path))
