"""The cross-commune software matrix and harmonisation hints; pure Python, no database."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True, slots=True)
class Usage:
    domain: str
    software: str
    vendor: str
    commune: str
    satisfaction: int | None
    contract_end: date | None


@dataclass
class SoftwareCell:
    software: str
    vendors: set[str] = field(default_factory=set)
    communes: list[str] = field(default_factory=list)
    ratings: list[int] = field(default_factory=list)
    contract_ends: list[date] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.communes)

    @property
    def satisfaction(self) -> Decimal | None:
        if not self.ratings:
            return None
        return (Decimal(sum(self.ratings)) / len(self.ratings)).quantize(
            Decimal("0.1"), ROUND_HALF_UP
        )


@dataclass
class DomainRow:
    domain: str
    cells: list[SoftwareCell]

    @property
    def communes(self) -> int:
        return sum(cell.count for cell in self.cells)

    @property
    def harmonisable(self) -> bool:
        """Several products for one need, across at least three communes: worth a common choice."""
        return len(self.cells) >= 2 and self.communes >= 3

    def candidate(self) -> SoftwareCell | None:
        """The most used product, ties broken by satisfaction: a starting point, not a verdict."""
        if not self.cells:
            return None
        return max(self.cells, key=lambda c: (c.count, c.satisfaction or Decimal(0), c.software))

    def contracts_ending(self, *, today: date, months: int = 24) -> list[tuple[str, str, date]]:
        horizon = date(today.year + months // 12, today.month, min(today.day, 28))
        return sorted(
            (c.software, commune, end)
            for c in self.cells
            for commune, end in zip(c.communes, c.contract_ends, strict=False)
            if end and today <= end <= horizon
        )


def build_matrix(usages: list[Usage]) -> list[DomainRow]:
    """Domain × software × communes, most used software first within each domain."""
    grid: dict[str, dict[str, SoftwareCell]] = defaultdict(dict)
    for usage in usages:
        key = usage.software.strip().casefold()
        cell = grid[usage.domain].get(key)
        if cell is None:
            cell = grid[usage.domain][key] = SoftwareCell(software=usage.software.strip())
        if usage.vendor:
            cell.vendors.add(usage.vendor)
        cell.communes.append(usage.commune)
        cell.contract_ends.append(usage.contract_end)
        if usage.satisfaction is not None:
            cell.ratings.append(usage.satisfaction)
    rows = []
    for domain, cells in grid.items():
        ordered = sorted(cells.values(), key=lambda c: (-c.count, c.software.casefold()))
        for cell in ordered:
            pairs = sorted(zip(cell.communes, cell.contract_ends, strict=False), key=lambda p: p[0])
            cell.communes = [p[0] for p in pairs]
            cell.contract_ends = [p[1] for p in pairs]
        rows.append(DomainRow(domain=domain, cells=ordered))
    return sorted(rows, key=lambda r: r.domain)
