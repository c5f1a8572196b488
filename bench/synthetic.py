"""A seeded synthetic France in the shape of the Etalab files, for machines without the real ones.

Same record shapes and about the same sizes as the 2024–2026 files (≈35,000 current communes, a few
thousand delegated ones, ≈1,250 EPCI, ≈100 communes outside any EPCI). The real Sicoval extract
shipped with the project is included as is, so the demo data set finds its communes.
"""

import gzip
import json
import random
from pathlib import Path

SICOVAL_DATA = Path(__file__).resolve().parent.parent / "mutualis/territory/data/sicoval"
DEPARTMENTS = [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"]
VINTAGES = (2024, 2025, 2026)


def write_france(
    folder: Path, *, communes: int = 34_900, epcis: int = 1_250, seed: int = 2026
) -> Path:
    """Write communes-YYYY.json.gz and epci-YYYY.json.gz for 2024–2026 into folder."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    sicoval = {v: _sicoval(v) for v in VINTAGES}
    taken = {r["code"] for r in sicoval[2026][0]}
    records = []
    per_department = communes // len(DEPARTMENTS) + 1
    for department in DEPARTMENTS:
        for number in range(1, per_department + 1):
            code = f"{department}{number:03d}"
            if code in taken or len(records) >= communes:
                continue
            municipal = max(1, int(rng.lognormvariate(6.3, 1.25)))
            records.append(
                {
                    "code": code,
                    "nom": f"Commune {code}",
                    "departement": department,
                    "siren": f"2{code.replace('A', '0').replace('B', '0')}{rng.randint(100, 999)}",
                    "municipal": municipal,
                    "total": municipal + int(municipal * rng.uniform(0.0, 0.04)),
                }
            )
    outside = set(rng.sample(range(len(records)), k=min(98, len(records))))
    groups: list[list[dict]] = [[] for _ in range(epcis)]
    for index, record in enumerate(records):
        if index not in outside:
            groups[index * epcis // len(records)].append(record)
    for vintage in VINTAGES:
        drift = 1 + (vintage - 2024) * 0.003
        communes_file, epci_file = sicoval[vintage]
        communes_file = list(communes_file)
        epci_file = list(epci_file)
        for record in records:
            communes_file.append(
                {
                    "code": record["code"],
                    "nom": record["nom"],
                    "type": "commune-actuelle",
                    "departement": record["departement"],
                    "siren": record["siren"],
                    "population": int(record["municipal"] * drift),
                }
            )
        for record in records[: len(records) // 10]:
            communes_file.append(
                {
                    "code": record["code"],
                    "nom": f"{record['nom']} (déléguée)",
                    "type": "commune-deleguee",
                }
            )
        for number, group in enumerate(groups):
            if not group:
                continue
            epci_file.append(
                {
                    "code": f"2{number:08d}",
                    "nom": f"CC synthétique {number}",
                    "type": "CC",
                    "modeFinancement": "FPU",
                    "membres": [
                        {
                            "code": r["code"],
                            "siren": r["siren"],
                            "nom": r["nom"],
                            "populationTotale": int(r["total"] * drift),
                            "populationMunicipale": int(r["municipal"] * drift),
                        }
                        for r in group
                    ],
                }
            )
        _write(folder / f"communes-{vintage}.json.gz", communes_file)
        _write(folder / f"epci-{vintage}.json.gz", epci_file)
    return folder


def _sicoval(vintage: int) -> tuple[list, list]:
    communes = json.loads((SICOVAL_DATA / f"communes-{vintage}.json").read_text(encoding="utf-8"))
    epcis = json.loads((SICOVAL_DATA / f"epci-{vintage}.json").read_text(encoding="utf-8"))
    return communes, epcis


def _write(path: Path, data: list) -> None:
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False)
