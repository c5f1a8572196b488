"""Read an inventory CSV (ours, or a GLPI/OCS-style export with French headers), no database.

Every row is checked; the first bad row refuses the whole file with its line and column named.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _

from mutualis.inventory.enums import AssetKind
from mutualis.territory.attributes import CsvFormatError, read_csv

KINDS = {
    "site": "site",
    "poste": "workstation",
    "ordinateur": "workstation",
    "workstation": "workstation",
    "serveur": "server",
    "server": "server",
    "réseau": "network",
    "reseau": "network",
    "matériel réseau": "network",
    "network": "network",
    "téléphone": "phone",
    "telephone": "phone",
    "phone": "phone",
    "imprimante": "printer",
    "printer": "printer",
    "licence": "licence",
    "compte": "licence",
    "accès internet": "internet",
    "acces internet": "internet",
    "internet": "internet",
    "site internet": "website",
    "nom de domaine": "website",
    "website": "website",
}


def _kind(value: str) -> str | None:
    """A kind from its code (« workstation »), the label the app displays (« Poste de
    travail », as in its own pages) or a common French word (« poste »)."""
    value = value.strip().lower()
    if value in KINDS:
        return KINDS[value]
    return next((code for code, label in AssetKind.choices if str(label).lower() == value), None)


# Our column names, and the French headers of common inventory tools' exports.
ALIASES = {
    "kind": ("kind", "type", "catégorie", "categorie"),
    "name": ("name", "nom"),
    "location": ("location", "lieu", "site"),
    "owner": ("owner", "utilisateur", "responsable", "usager"),
    "operating_system": (
        "operating_system",
        "système d'exploitation",
        "systeme d'exploitation",
        "système d'exploitation - nom",
        "os",
    ),
    "purchase_date": ("purchase_date", "date d'achat", "date achat"),
    "warranty_end": ("warranty_end", "fin de garantie", "date de fin de garantie"),
    "serial": ("serial", "numéro de série", "numero de serie", "n° de série"),
    "notes": ("notes", "commentaires", "commentaire"),
}
MAX_ROWS = 20000


@dataclass(frozen=True, slots=True)
class InventoryRow:
    line: int
    kind: str
    name: str
    location: str
    owner: str
    operating_system: str
    purchase_date: date | None
    warranty_end: date | None
    serial: str
    notes: str


def _date(value: str, *, line: int, column: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise CsvFormatError(
        _("ligne %(line)s, colonne %(column)s : « %(value)s » n'est pas une date (JJ/MM/AAAA).")
        % {"line": line, "column": column, "value": value}
    )


def parse_inventory(text: str) -> list[InventoryRow]:
    header, raw_rows = read_csv(text, required=(), known=None)
    by_lower = {h.lower(): h for h in header}
    mapping: dict[str, str] = {}
    for field, names in ALIASES.items():
        found = next((by_lower[n] for n in names if n in by_lower), None)
        if found:
            mapping[field] = found
    if "name" not in mapping or "kind" not in mapping:
        raise CsvFormatError(
            _(
                "ligne 1 : les colonnes « kind » (ou « type ») et « name » (ou « nom ») sont "
                "obligatoires."
            )
        )
    if len(raw_rows) > MAX_ROWS:
        raise CsvFormatError(
            _("le fichier compte %(count)s lignes : %(limit)s au plus.")
            % {"count": len(raw_rows), "limit": MAX_ROWS}
        )
    rows = []
    for raw in raw_rows:
        line = raw["__line__"]

        def get(field: str, raw=raw) -> str:
            column = mapping.get(field)
            return raw.get(column, "") if column else ""

        kind = _kind(get("kind"))
        if kind is None:
            raise CsvFormatError(
                _(
                    "ligne %(line)s, colonne %(column)s : type « %(value)s » inconnu (poste, "
                    "serveur, réseau, téléphone, imprimante, licence, accès internet, "
                    "site internet, site)."
                )
                % {"line": line, "column": mapping["kind"], "value": get("kind")}
            )
        name = get("name").strip()
        if not name:
            raise CsvFormatError(
                _("ligne %(line)s, colonne %(column)s : le nom est vide.")
                % {"line": line, "column": mapping["name"]}
            )
        if len(name) > 200:
            raise CsvFormatError(
                _("ligne %(line)s, colonne %(column)s : nom trop long (200 caractères au plus).")
                % {"line": line, "column": mapping["name"]}
            )
        rows.append(
            InventoryRow(
                line=line,
                kind=kind,
                name=name,
                location=get("location")[:200],
                owner=get("owner")[:200],
                operating_system=get("operating_system")[:200],
                purchase_date=_date(
                    get("purchase_date"), line=line, column=mapping.get("purchase_date", "")
                ),
                warranty_end=_date(
                    get("warranty_end"), line=line, column=mapping.get("warranty_end", "")
                ),
                serial=get("serial")[:100],
                notes=get("notes")[:2000],
            )
        )
    return rows
