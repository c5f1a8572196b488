"""Backup → restore into an empty instance → every row and file identical (SQLite and PostgreSQL).

The populated instance is the test database (demo data plus operations records and an upload);
the empty one is a fresh database (a new SQLite file, or a new database on the same PostgreSQL
server in the PostgreSQL run) restored by `mutualis restore` in a subprocess, which then backs
itself up: both backups must hold the same rows (same checksums of the serialised tables).
"""

import hashlib
import io
import json
import tarfile
import uuid
from datetime import UTC, datetime

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.mail import EmailMessage
from django.db import connection, transaction

from mutualis.core.models import AuditEvent
from mutualis.core.numbering import next_number
from mutualis.core.uploads import store_upload
from mutualis.operations.backup import RestoreRefused, backed_up_models, create_backup
from mutualis.operations.mail import OutboxBackend
from mutualis.operations.personal_data import deactivate_account
from mutualis.operations.scheduler import run_due
from mutualis.operations.testing import instance_env, mutualis

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def empty_instance(tmp_path):
    """Environment of an empty production instance on the same kind of database as the tests."""
    settings_dict = connection.settings_dict
    if connection.vendor != "postgresql":
        yield instance_env(tmp_path / "target")
        return
    import psycopg

    name = f"mutualis_restore_{uuid.uuid4().hex[:12]}"
    user, host, port = settings_dict["USER"], settings_dict["HOST"], settings_dict["PORT"]
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{password}" if password else user
    admin_url = f"postgres://{auth}@{host}:{port or 5432}/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield instance_env(
            tmp_path / "target", database_url=f"postgres://{auth}@{host}:{port or 5432}/{name}"
        )
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def populated(db, tmp_path, coordinator, odars_agent):
    """The demo plus one of every operations record and an uploaded file."""
    storage = FileSystemStorage(location=tmp_path / "media")
    store_upload(io.BytesIO(PDF), prefix="deliberations", kinds=("pdf",), storage=storage)
    store_upload(
        io.BytesIO(b"insee;nom\n31402;Odars\n"),
        prefix="imports",
        kinds=("csv",),
        storage=storage,
    )
    OutboxBackend().send_messages([EmailMessage("Objet é", "Corps", to=["x@example.fr"])])
    with transaction.atomic():
        next_number("appel", 2025)
    deactivate_account(user=odars_agent, by=coordinator, reason="Départ")
    run_due()
    # Sub-millisecond times, which Django's JSON encoder would cut off.
    events = AuditEvent.objects.order_by("id")
    AuditEvent.objects.filter(pk=events[0].pk).update(at=datetime(2025, 1, 2, 3, 4, 5, 500, UTC))
    AuditEvent.objects.filter(pk=events[1].pk).update(at=datetime(2025, 1, 2, 3, 4, 5, 123456, UTC))
    return storage


def _lines(path, label) -> set[str]:
    with tarfile.open(path, "r:gz") as tar:
        return set(tar.extractfile(f"data/{label}.jsonl").read().decode().splitlines())


def _manifest(path) -> dict:
    with tarfile.open(path, "r:gz") as tar:
        return json.load(tar.extractfile("manifest.json"))


def test_backup_then_restore_into_an_empty_instance_loses_nothing(
    populated, empty_instance, tmp_path
):
    source = create_backup(tmp_path / "source.tar.gz", storage=populated)
    source_manifest = _manifest(source.path)
    assert source_manifest["database"] == connection.vendor
    assert source_manifest["models"]["accounts.user"]["rows"] >= 8
    assert source_manifest["models"]["operations.outgoingemail"]["rows"] >= 1
    assert len(source_manifest["media"]) == 2
    assert set(source_manifest["models"]) == {m._meta.label_lower for m in backed_up_models()}

    out = mutualis("restore", str(source.path), env=empty_instance).stdout
    assert f"restauré : {source.rows} lignes, 2 fichiers" in out
    mutualis("backup", str(tmp_path / "copy.tar.gz"), env=empty_instance)
    copy_manifest = _manifest(tmp_path / "copy.tar.gz")

    def fingerprint(manifest):
        return {label: (m["rows"], m["sha256"]) for label, m in manifest["models"].items()}

    differing = {
        label: (_lines(source.path, label), _lines(tmp_path / "copy.tar.gz", label))
        for label in source_manifest["models"]
        if fingerprint(copy_manifest)[label] != fingerprint(source_manifest)[label]
    }
    assert differing == {}
    assert '"at": "2025-01-02T03:04:05.000500Z"' in "".join(_lines(source.path, "core.auditevent"))
    assert copy_manifest["media"] == source_manifest["media"]
    assert copy_manifest["migrations"] == source_manifest["migrations"]
    # The restored instance works: its sequences continue after the restored rows.
    script = (
        "from mutualis.core.models import AuditEvent; from mutualis.accounts.models import User;"
        "u = User.objects.create(username='after-restore');"
        "print(u.pk > max(User.objects.exclude(pk=u.pk).values_list('pk', flat=True)))"
    )
    assert mutualis("shell", "-v0", "-c", script, env=empty_instance).stdout.strip() == "True"


def _rewrite(source, target, change):
    """Copy a backup archive, passing each member's bytes through change(name, data)."""
    with tarfile.open(source, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for member in old.getmembers():
            data = change(member.name, old.extractfile(member).read())
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))


def _tables(env) -> str:
    script = "from django.db import connection; print(len(connection.introspection.table_names()))"
    return mutualis("shell", "-v0", "-c", script, env=env).stdout.strip()


def test_restore_refuses_a_backup_from_a_newer_schema_and_writes_nothing(
    populated, empty_instance, tmp_path
):
    source = create_backup(tmp_path / "source.tar.gz", storage=populated).path

    def newer(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"]["core"].append("9999_from_the_future")
        return json.dumps(manifest).encode()

    _rewrite(source, tmp_path / "newer.tar.gz", newer)
    result = mutualis("restore", str(tmp_path / "newer.tar.gz"), env=empty_instance, check=False)
    assert result.returncode != 0
    assert "version plus récente de Mutualis" in result.stderr
    assert "core.9999_from_the_future" in result.stderr
    assert "Rien n'a été restauré" in result.stderr
    assert _tables(empty_instance) == "0"
    assert not (tmp_path / "target" / "media").exists()


def test_restore_refuses_a_corrupted_archive_and_writes_nothing(
    populated, empty_instance, tmp_path
):
    source = create_backup(tmp_path / "source.tar.gz", storage=populated).path

    def tamper(name, data):
        return (
            data.replace(b"Odars", b"Odarz") if name.endswith("territory.commune.jsonl") else data
        )

    _rewrite(source, tmp_path / "tampered.tar.gz", tamper)
    result = mutualis("restore", str(tmp_path / "tampered.tar.gz"), env=empty_instance, check=False)
    assert result.returncode != 0
    assert "empreinte SHA-256" in result.stderr and "territory.commune.jsonl" in result.stderr
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(source.read_bytes()[: source.stat().st_size // 2])
    result = mutualis("restore", str(truncated), env=empty_instance, check=False)
    assert result.returncode != 0 and "illisible ou corrompue" in result.stderr
    assert _tables(empty_instance) == "0"


def test_restore_refuses_a_database_that_is_not_empty(populated, tmp_path):
    source = create_backup(tmp_path / "source.tar.gz", storage=populated).path
    from mutualis.operations.backup import check_backup

    with pytest.raises(RestoreRefused, match="n'est pas vide"):
        check_backup(source, tmp_path / "unpacked", storage=populated)


# Series whose counters lived in their apps' own tables before core.numbering took them over.
OLD_COUNTERS = {
    "convention": ("membership.numbersequence", "membership", "0004_move_number_sequences_to_core"),
    "call": (
        "contributions.documentsequence",
        "contributions",
        "0002_move_document_sequences_to_core",
    ),
    "credit_note": (
        "contributions.documentsequence",
        "contributions",
        "0002_move_document_sequences_to_core",
    ),
}


def _as_before_core_numbering(source, target, bump: int) -> list[tuple]:
    """Rewrite a backup as one made before the counters moved to core (each raised by `bump`, so
    that only the moved values can explain what the restored instance holds); return every
    counter (series, year, last) the restored instance must end with."""
    with tarfile.open(source, "r:gz") as old:
        members = {m.name: old.extractfile(m).read() for m in old.getmembers()}
    manifest = json.loads(members.pop("manifest.json"))
    files: dict[str, list[dict]] = {"core.documentcounter": []}
    expected = []
    for line in members["data/core.documentcounter.jsonl"].decode().splitlines():
        row = json.loads(line)
        fields = row["fields"]
        if fields["series"] in OLD_COUNTERS:
            label, _app, _migration = OLD_COUNTERS[fields["series"]]
            fields = {
                "kind": fields["series"],
                "year": fields["year"],
                "last": fields["last"] + bump,
            }
            files.setdefault(label, []).append({"model": label, "fields": fields})
            expected.append((fields["kind"], fields["year"], fields["last"]))
        else:
            files["core.documentcounter"].append(row)
            expected.append((fields["series"], fields["year"], fields["last"]))
    for label, rows in files.items():
        data = "".join(
            json.dumps({**row, "pk": row.get("pk", pk)}) + "\n" for pk, row in enumerate(rows, 1)
        ).encode()
        members[f"data/{label}.jsonl"] = data
        manifest["models"][label] = {
            "file": f"data/{label}.jsonl",
            "rows": len(rows),
            "sha256": hashlib.sha256(data).hexdigest(),
        }
    for _label, app, migration in OLD_COUNTERS.values():
        # The move and every later migration of the app did not exist yet when such a backup was
        # made (migrations of an app are numbered in order)...
        manifest["migrations"][app] = [m for m in manifest["migrations"][app] if m < migration]
    # ...nor did the models those later migrations created (empty in the source backup).
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection, ignore_no_migrations=True)
    nodes = [(app, name) for app, names in manifest["migrations"].items() for name in names]
    state = loader.project_state(nodes).models
    then = {f"{app}.{model}" for app, model in state}
    for label in [label for label in manifest["models"] if label not in then]:
        assert manifest["models"][label]["rows"] == 0, label
        del manifest["models"][label]
        members.pop(f"data/{label}.jsonl", None)
    # ...nor the fields later migrations added to older models (such a backup has no such key).
    for label, entry in manifest["models"].items():
        app, model = label.split(".")
        known = set(state[(app, model)].fields)
        rows = [json.loads(line) for line in members[entry["file"]].decode().splitlines()]
        for row in rows:
            row["fields"] = {k: v for k, v in row["fields"].items() if k in known}
        data = "".join(json.dumps(row) + "\n" for row in rows).encode()
        members[entry["file"]] = data
        entry["sha256"] = hashlib.sha256(data).hexdigest()
    members["manifest.json"] = json.dumps(manifest).encode()
    with tarfile.open(target, "w:gz") as new:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))
    return sorted(expected)


def test_a_backup_from_before_core_numbering_restores_and_numbering_continues(
    populated, empty_instance, tmp_path
):
    source = create_backup(tmp_path / "source.tar.gz", storage=populated).path
    older = tmp_path / "older.tar.gz"
    expected = _as_before_core_numbering(source, older, bump=100)
    assert {series for series, _year, _last in expected} >= {"convention", "call", "appel"}

    mutualis("restore", str(older), env=empty_instance)

    script = (
        "from mutualis.core.models import DocumentCounter;"
        "print(sorted(DocumentCounter.objects.values_list('series', 'year', 'last')))"
    )
    restored = mutualis("shell", "-v0", "-c", script, env=empty_instance).stdout.strip()
    assert restored == str(expected)
    tables = "from django.db import connection; print(connection.introspection.table_names())"
    names = mutualis("shell", "-v0", "-c", tables, env=empty_instance).stdout
    assert (
        "membership_numbersequence" not in names and "contributions_documentsequence" not in names
    )
