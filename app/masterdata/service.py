"""Load and export master data, and the process-wide cache of the in-memory view.

A load REPLACES all master data: the directory is a complete snapshot (the usual nightly ERP
export), so a row missing from a file is deleted and an optional file that is absent empties its
table. The load is one transaction in the caller's unit of work: on any error nothing changes.

`allocated` in stock.csv is what is allocated outside this service. In the database it also
counts this service's open reservations: a load adds them back on top of the file, an export
subtracts them, so export -> load -> export gives the same files and a reload never frees stock
that an order line holds.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from app.inventory import repository as inventory_repository
from app.masterdata import csvio, repository
from tools.masterdata import MasterData, Record, StockLevel


@dataclass(frozen=True)
class LoadSummary:
    """What a load did: the new version and the rows per file."""

    version: int
    counts: dict[str, int]


@dataclass(frozen=True)
class MasterDataStamp:
    """Which load the database holds."""

    version: int
    loaded_at: datetime | None


def load_directory(session: Session, directory: Path, *, base_currency: str = "USD") -> LoadSummary:
    """Replace all master data with the CSV files in `directory`; raises MasterDataInvalid."""
    records = csvio.read_directory(directory, base_currency=base_currency)
    return load_records(session, records)


def load_records(session: Session, records: list[Record]) -> LoadSummary:
    """Replace all master data with already checked records and bump the version."""
    stamp = repository.lock_version(session)
    repository.replace_all(session, records)
    repository.add_to_allocated(session, inventory_repository.reserved_totals(session))
    version = repository.bump_version(session, stamp)
    return LoadSummary(version=version, counts=repository.count_rows(session))


def export_directory(session: Session, directory: Path) -> dict[str, int]:
    """Write all master data as canonical CSV files into `directory`; rows per file."""
    reserved = inventory_repository.reserved_totals(session)
    records = [_without_reservations(rec, reserved) for rec in repository.all_records(session)]
    return csvio.write_directory(directory, records)


def stamp(session: Session) -> MasterDataStamp:
    """The version and time of the last load."""
    version, loaded_at = repository.current_version(session)
    return MasterDataStamp(version=version, loaded_at=loaded_at)


def is_empty(session: Session) -> bool:
    """True before master data has been loaded."""
    return repository.is_empty(session)


_cache: weakref.WeakKeyDictionary[Engine, tuple[int, str, MasterData]] = weakref.WeakKeyDictionary()
_cache_lock = threading.Lock()


def load_masterdata(session: Session, *, base_currency: str = "USD") -> MasterData:
    """The in-memory master data, rebuilt only when a load has bumped the version. Read-only.

    Its stock figures are as of the last rebuild; `app.inventory.service.reserve` is the one
    that decides what can still be promised.
    """
    # Read the version before the rows: the rows are then at least as new as the version.
    version, _ = repository.current_version(session)
    engine = _engine_of(session)
    with _cache_lock:
        cached = _cache.get(engine)
    if cached is not None and cached[:2] == (version, base_currency):
        return cached[2]
    md = MasterData.from_records(repository.all_records(session), base_currency=base_currency)
    with _cache_lock:
        _cache[engine] = (version, base_currency, md)
    return md


def current_stock(session: Session, skus: Collection[str]) -> dict[tuple[str, str], StockLevel]:
    """The stock levels of these SKUs as the database holds them in this transaction.

    Read per run and per order, never the whole table: reservations move the figures all the
    time, and a run needs a handful of SKUs out of a catalogue that may hold thousands."""
    return {
        (sku, warehouse_id): StockLevel.model_construct(  # rows already passed validation
            sku=sku,
            warehouse_id=warehouse_id,
            on_hand=on_hand,
            allocated=allocated,
            safety_stock=safety_stock,
        )
        for sku, warehouse_id, on_hand, allocated, safety_stock in repository.stock_figures(
            session, skus
        )
    }


def clear_cache() -> None:
    """Forget every cached MasterData (tests, or after editing tables by hand)."""
    with _cache_lock:
        _cache.clear()


def _engine_of(session: Session) -> Engine:
    bind = session.get_bind()
    return bind.engine if isinstance(bind, Connection) else bind


def _without_reservations(rec: Record, reserved: dict[tuple[str, str], Decimal]) -> Record:
    if not isinstance(rec, StockLevel):
        return rec
    held = reserved.get((rec.sku, rec.warehouse_id), Decimal("0"))
    return rec.model_copy(update={"allocated": max(rec.allocated - held, Decimal("0"))})
