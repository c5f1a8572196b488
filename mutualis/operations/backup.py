"""Backups of a whole instance (every table and every uploaded file) and their restoration.

A backup is one `.tar.gz`: `manifest.json` (format, date, the applied migrations = the schema,
per-model row counts, a SHA-256 for every file), `data/<app>.<model>.jsonl` (Django's
serialisation of every row, ordered by primary key, so it works the same on SQLite and
PostgreSQL and across them), and `media/<name>` for every stored upload.

A restore checks everything before it writes anything: the archive reads, every checksum matches,
the schema is not newer than this installation's, the target database and storage are empty.
It then brings the target's tables to the backup's schema, loads every row with its original
primary key in one transaction, copies the files, and migrates forward to the current schema.
Rows of a model a later migration removed after moving its data (the old document counters) are
loaded with the model of the backup's schema, and that migration moves them.
"""

import hashlib
import json
import tarfile
import tempfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.jsonl import Deserializer as JSONLDeserializer
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

FORMAT = 1
MANIFEST = "manifest.json"
# Rows `migrate` creates by itself: replaced by the backup's own (same primary keys).
AUTO_ROWS = (Permission, ContentType)

Progress = Callable[[str, int, int], None]


class RestoreRefused(Exception):
    """The backup cannot be restored here; nothing has been written."""


def _noop(stage: str, done: int, total: int) -> None:
    pass


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder cuts datetimes to milliseconds (ECMA-262); a backup keeps microseconds."""

    def default(self, o):
        if isinstance(o, datetime | time):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


def backed_up_models() -> list:
    return [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy]


def _label(model) -> str:
    return model._meta.label_lower


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def list_storage(storage: Storage, prefix: str = "") -> list[str]:
    """Every file name in the storage, recursively, sorted."""
    try:
        directories, files = storage.listdir(prefix)
    except FileNotFoundError:
        return []
    names = [str(PurePosixPath(prefix, f)) if prefix else f for f in files]
    for directory in directories:
        names += list_storage(
            storage, str(PurePosixPath(prefix, directory)) if prefix else directory
        )
    return sorted(names)


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app_label, []).append(name)
    return applied


@dataclass
class BackupSummary:
    path: Path
    rows: int
    files: int
    bytes: int


def create_backup(
    destination: Path, *, storage: Storage | None = None, progress: Progress = _noop
) -> BackupSummary:
    """Write a backup to `destination` (a file, or a directory to create a dated file in)."""
    storage = storage or default_storage
    destination = Path(destination)
    if destination.is_dir():
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        destination = destination / f"mutualis-{stamp}.tar.gz"
    models = backed_up_models()
    manifest: dict = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": connection.vendor,
        "migrations": {},
        "models": {},
        "media": {},
    }
    partial = destination.with_name(destination.name + ".partial")
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(partial, "w:gz") as tar:
        work = Path(tmp)
        # One transaction for a consistent picture (a snapshot on PostgreSQL).
        snapshot = not connection.in_atomic_block
        with transaction.atomic():
            if snapshot and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            manifest["migrations"] = applied_migrations()
            for done, model in enumerate(models, start=1):
                name = f"data/{_label(model)}.jsonl"
                path = work / name.replace("/", "_")
                queryset = model._base_manager.order_by("pk")
                with path.open("w", encoding="utf-8") as handle:
                    serializers.serialize(
                        "jsonl",
                        queryset.iterator(chunk_size=2000),
                        stream=handle,
                        cls=ExactJSONEncoder,
                    )
                rows = queryset.count()
                manifest["models"][_label(model)] = {
                    "file": name,
                    "rows": rows,
                    "sha256": _sha256_file(path),
                }
                tar.add(path, arcname=name)
                progress("données", done, len(models))
        names = list_storage(storage)
        for done, name in enumerate(names, start=1):
            digest, size = hashlib.sha256(), 0
            local = work / "media.bin"
            with storage.open(name, "rb") as source, local.open("wb") as target:
                for chunk in iter(lambda: source.read(1 << 20), b""):
                    digest.update(chunk)
                    size += len(chunk)
                    target.write(chunk)
            manifest["media"][name] = {"sha256": digest.hexdigest(), "bytes": size}
            tar.add(local, arcname=f"media/{name}")
            progress("fichiers", done, len(names))
        manifest_path = work / MANIFEST
        manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
        tar.add(manifest_path, arcname=MANIFEST)
    partial.replace(destination)
    return BackupSummary(
        path=destination,
        rows=sum(m["rows"] for m in manifest["models"].values()),
        files=len(manifest["media"]),
        bytes=destination.stat().st_size,
    )


# --- restore --------------------------------------------------------------------------------


@dataclass
class Checked:
    """A backup unpacked into a temporary directory and verified."""

    root: Path
    manifest: dict
    warnings: list[str] = field(default_factory=list)


def _unpack(source: Path, into: Path) -> dict:
    if not source.is_file():
        raise RestoreRefused(
            _("Le fichier de sauvegarde « %(path)s » n'existe pas.") % {"path": source}
        )
    try:
        with tarfile.open(source, "r:gz") as tar:
            tar.extractall(into, filter="data")
    except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
        raise RestoreRefused(
            _(
                "L'archive « %(path)s » est illisible ou corrompue (%(error)s). Rien n'a été restauré."
            )
            % {"path": source.name, "error": error}
        ) from error
    try:
        manifest = json.loads((into / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise RestoreRefused(
            _(
                "L'archive « %(path)s » n'a pas de manifeste lisible : ce n'est pas une sauvegarde "
                "Mutualis complète. Rien n'a été restauré."
            )
            % {"path": source.name}
        ) from error
    if manifest.get("format") != FORMAT:
        raise RestoreRefused(
            _(
                "Format de sauvegarde %(found)s inconnu (attendu : %(expected)s). Rien n'a été restauré."
            )
            % {"found": manifest.get("format"), "expected": FORMAT}
        )
    return manifest


def _verify_checksums(root: Path, manifest: dict) -> None:
    expected = {info["file"]: info["sha256"] for info in manifest["models"].values()}
    expected |= {f"media/{name}": info["sha256"] for name, info in manifest["media"].items()}
    bad = []
    for name, checksum in sorted(expected.items()):
        path = root / name
        if not path.is_file() or _sha256_file(path) != checksum:
            bad.append(name)
    if bad:
        raise RestoreRefused(
            ngettext(
                "La sauvegarde est corrompue : %(count)s fichier ne correspond pas à son "
                "empreinte SHA-256 (%(names)s). Rien n'a été restauré.",
                "La sauvegarde est corrompue : %(count)s fichiers ne correspondent pas à leur "
                "empreinte SHA-256 (%(names)s). Rien n'a été restauré.",
                len(bad),
            )
            % {"count": len(bad), "names": ", ".join(bad[:5])}
        )


def _backup_state(manifest: dict):
    """The project's models as they were at the backup's schema (migration state, not code)."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    nodes = [
        (app, name)
        for app, names in manifest["migrations"].items()
        for name in names
        if (app, name) in loader.graph.nodes
    ]
    return loader.project_state(nodes)


class _RemovedModelDeserializer(JSONLDeserializer):
    """Rows of a model a later migration removed (after moving its data), read with the model of
    the backup's schema: the migrations run after loading move them where they belong now."""

    def __init__(self, stream, *, state_apps, **options):
        super().__init__(stream, **options)
        self.state_apps = state_apps

    def _get_model_from_node(self, model_identifier):
        return self.state_apps.get_model(model_identifier)


def _verify_schema(manifest: dict) -> None:
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    unknown = sorted(
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if (app, name) not in known
    )
    if unknown:
        raise RestoreRefused(
            _(
                "Cette sauvegarde vient d'une version plus récente de Mutualis (migrations inconnues "
                "ici : %(names)s). Installez cette version ou une plus récente avant de restaurer. "
                "Rien n'a été restauré."
            )
            % {"names": ", ".join(unknown[:5])}
        )
    installed = {_label(m) for m in backed_up_models()}
    missing = sorted(set(manifest["models"]) - installed)
    if missing:
        removed_since = {f"{app}.{model}" for app, model in _backup_state(manifest).models}
        missing = [label for label in missing if label not in removed_since]
    if missing:
        raise RestoreRefused(
            _(
                "Cette sauvegarde contient des données d'applications absentes de cette "
                "installation (%(names)s). Rien n'a été restauré."
            )
            % {"names": ", ".join(missing)}
        )


def _verify_empty(storage: Storage) -> None:
    tables = set(connection.introspection.table_names())
    busy = []
    for model in backed_up_models():
        if model in AUTO_ROWS or model._meta.db_table not in tables:
            continue
        count = model._base_manager.count()
        if count:
            busy.append(f"{model._meta.verbose_name_plural} : {count}")
    if busy:
        raise RestoreRefused(
            _(
                "La base de destination n'est pas vide (%(what)s). Restaurez dans une base neuve. "
                "Rien n'a été restauré."
            )
            % {"what": ", ".join(busy[:5])}
        )
    if list_storage(storage):
        raise RestoreRefused(
            _(
                "Le stockage des fichiers de destination n'est pas vide. Restaurez dans un "
                "stockage neuf. Rien n'a été restauré."
            )
        )


def check_backup(source: Path, into: Path, *, storage: Storage | None = None) -> Checked:
    """Unpack and verify; raise RestoreRefused with a French message on any problem."""
    manifest = _unpack(Path(source), into)
    _verify_checksums(into, manifest)
    _verify_schema(manifest)
    _verify_empty(storage or default_storage)
    return Checked(root=into, manifest=manifest)


def _migrate_to(manifest: dict) -> None:
    """Bring the tables to the backup's schema (from nothing, or back from the current one)."""
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    targets = []
    for app_label in sorted({app for app, _name in graph.nodes}):
        names = set(manifest["migrations"].get(app_label, []))
        nodes = [(app_label, n) for n in names if (app_label, n) in graph.nodes]
        if not nodes:
            targets.append((app_label, None))
            continue
        leaf = max(nodes, key=lambda node: len(graph.forwards_plan(node)))
        targets.append(leaf)
    executor.migrate(targets)


def _columns(model) -> set[str]:
    return {field.column for field in model._meta.concrete_fields}


def _load(root: Path, manifest: dict, progress: Progress) -> int:
    by_label = {_label(m): m for m in backed_up_models()}
    state_apps = _backup_state(manifest).apps
    # Models a later migration removed, or whose table a later migration changed (a field added):
    # their rows are written with the model of the backup's schema, then migrated forward.
    removed = [
        label
        for label in manifest["models"]
        if label not in by_label
        or _columns(by_label[label]) != _columns(state_apps.get_model(label))
    ]
    if removed:
        by_label |= {label: state_apps.get_model(label) for label in removed}
    loaded = 0
    with transaction.atomic():
        for model in AUTO_ROWS:
            model._base_manager.all().delete()
        items = sorted(manifest["models"].items())
        for done, (name, info) in enumerate(items, start=1):
            with (root / info["file"]).open(encoding="utf-8") as handle:
                rows = (
                    _RemovedModelDeserializer(handle, state_apps=state_apps)
                    if name in removed
                    else serializers.deserialize("jsonl", handle, handle_forward_references=False)
                )
                for item in rows:
                    item.save(force_insert=True)
                    loaded += 1
            progress("données", done, len(items))
        models = [by_label[label] for label in manifest["models"]]
        statements = connection.ops.sequence_reset_sql(no_style(), models)
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
    return loaded


def restore_backup(
    source: Path, *, storage: Storage | None = None, progress: Progress = _noop
) -> BackupSummary:
    storage = storage or default_storage
    with tempfile.TemporaryDirectory() as tmp:
        checked = check_backup(Path(source), Path(tmp), storage=storage)
        manifest = checked.manifest
        written: list[str] = []
        try:
            names = sorted(manifest["media"])
            for done, name in enumerate(names, start=1):
                with (checked.root / "media" / name).open("rb") as handle:
                    saved = storage.save(name, File(handle, name=name))
                written.append(saved)
                if saved != name:
                    raise RestoreRefused(
                        _("Le fichier « %(name)s » existe déjà dans le stockage.") % {"name": name}
                    )
                progress("fichiers", done, len(names))
            _migrate_to(manifest)
            rows = _load(checked.root, manifest, progress)
        except BaseException:
            for name in written:
                storage.delete(name)
            raise
    call_command("migrate", verbosity=0)
    return BackupSummary(
        path=Path(source), rows=rows, files=len(written), bytes=Path(source).stat().st_size
    )


__all__ = ["RestoreRefused", "create_backup", "restore_backup"]
