"""The demo company, Northwind Industrial Supply: a fictional MRO distributor.

Run `python -m app.masterdata.demo_generator OUTDIR` to write its master-data CSV files. The
output is fixed by SEED, so the files shipped in `app/masterdata/demo/` are exactly what this
module writes (a test checks it). Dates sit around November 2026: one promotion is live until
2027-12-31, another ended in August 2026, scheduled receipts fall in 2026-12 .. 2027-03.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from app.masterdata.csvio import write_directory
from tools.masterdata import (
    Carrier,
    CarrierRate,
    CarrierService,
    CrossReference,
    Customer,
    FxRate,
    PriceAgreement,
    PriceTier,
    Product,
    Record,
    ScheduledReceipt,
    ShipTo,
    StockLevel,
    UomConversion,
    Warehouse,
)

SEED = 20261101
COMPANY = "Northwind Industrial Supply"
FX_PER_USD = {"CAD": Decimal("1.385"), "EUR": Decimal("0.924")}


def d(value: float | int | str) -> Decimal:
    """A decimal from a literal, without binary float noise."""
    return Decimal(str(value))


def money(value: Decimal) -> Decimal:
    """Cents for prices from $1, hundredths of a cent below (fasteners are priced per piece)."""
    step = Decimal("0.01") if value >= 1 else Decimal("0.0001")
    return value.quantize(step, rounding=ROUND_HALF_UP)


# --- products -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One catalogue line: description, list price and weight per base unit, size in cm."""

    description: str
    price: float
    weight_kg: float
    size_cm: tuple[float, float, float]
    discontinued: bool = False


@dataclass(frozen=True)
class Family:
    """Items sold the same way: category, SKU prefix, unit, packs, hazard class."""

    category: str
    prefix: str
    items: tuple[Item, ...]
    base_uom: str = "EA"
    pack: tuple[str, int] | None = None  # sold only in full packs of this many base units
    other_uoms: tuple[tuple[str, int], ...] = ()
    hazmat_class: str | None = None


def screws() -> Family:
    sizes = [
        ("1/4-20 x 1", 0.09, 0.011),
        ("1/4-20 x 2", 0.13, 0.019),
        ("5/16-18 x 1-1/4", 0.14, 0.022),
        ("5/16-18 x 2", 0.19, 0.032),
        ("3/8-16 x 1-1/2", 0.21, 0.041),
        ("3/8-16 x 3", 0.36, 0.074),
        ("1/2-13 x 2", 0.48, 0.098),
        ("1/2-13 x 4", 0.89, 0.18),
        ("5/8-11 x 3", 1.12, 0.24),
        ("3/4-10 x 4", 2.05, 0.45),
    ]
    items = tuple(
        Item(f"Hex Cap Screw, Grade 5, Zinc Plated, {s} in", p, w, (4, 1.5, 1.5))
        for s, p, w in sizes
    )
    return Family("Fasteners", "FAS", items, pack=("BX", 50), other_uoms=(("CS", 500),))


def nuts_and_washers() -> list[Family]:
    threads = [
        ("1/4-20", 0.04, 0.004),
        ("5/16-18", 0.05, 0.006),
        ("3/8-16", 0.07, 0.011),
        ("1/2-13", 0.14, 0.023),
        ("5/8-11", 0.26, 0.045),
    ]
    nuts = tuple(
        Item(f"Hex Nut, Grade 5, Zinc Plated, {t}", p, w, (1.5, 1.5, 0.8)) for t, p, w in threads
    )
    washers = tuple(
        Item(f"Flat Washer, SAE, Zinc Plated, {t.split('-')[0]} in", p * 0.6, w * 0.5, (2, 2, 0.2))
        for t, p, w in threads
    )
    return [
        Family("Fasteners", "FAS", nuts, pack=("BX", 100)),
        Family("Fasteners", "FAS", washers, pack=("BX", 100)),
    ]


def anchors_and_specials() -> Family:
    return Family(
        "Fasteners",
        "FAS",
        (
            Item("Wedge Anchor, Zinc Plated, 3/8 x 3 in", 0.42, 0.05, (7.6, 1, 1)),
            Item("Wedge Anchor, Zinc Plated, 1/2 x 4-1/4 in", 0.88, 0.12, (10.8, 1.3, 1.3)),
            Item("Wedge Anchor, Zinc Plated, 5/8 x 6 in", 1.74, 0.24, (15.2, 1.6, 1.6)),
            Item("Self-Drilling Screw, Hex Washer Head, #10 x 3/4 in", 0.05, 0.004, (2, 1, 1)),
            Item("Self-Drilling Screw, Hex Washer Head, #12 x 1 in", 0.07, 0.006, (2.5, 1, 1)),
            Item("Socket Head Cap Screw, 18-8 Stainless, 1/4-20 x 1 in", 0.38, 0.012, (3, 1, 1)),
            Item(
                "Socket Head Cap Screw, 18-8 Stainless, 3/8-16 x 1-1/2 in",
                0.95,
                0.038,
                (4, 1.5, 1.5),
            ),
        ),
        pack=("BX", 50),
    )


def abrasives() -> list[Family]:
    wheels = (
        Item("Cut-Off Wheel, Type 1, 4-1/2 x .045 x 7/8 in", 2.35, 0.05, (11.4, 11.4, 0.2)),
        Item("Cut-Off Wheel, Type 1, 5 x .045 x 7/8 in", 2.65, 0.06, (12.7, 12.7, 0.2)),
        Item("Cut-Off Wheel, Type 1, 6 x .045 x 7/8 in", 3.40, 0.08, (15.2, 15.2, 0.2)),
        Item("Grinding Wheel, Type 27, 4-1/2 x 1/4 x 7/8 in", 3.95, 0.2, (11.4, 11.4, 0.8)),
    )
    flaps = tuple(
        Item(
            f"Flap Disc, Zirconia, Type 29, 4-1/2 x 7/8 in, {g} Grit", 5.80, 0.12, (11.4, 11.4, 1.5)
        )
        for g in (40, 60, 80, 120)
    )
    fibre = tuple(
        Item(f"Fiber Disc, Aluminum Oxide, 4-1/2 in, {g} Grit", 0.95, 0.02, (11.4, 11.4, 0.1))
        for g in (36, 50, 80)
    )
    belts = tuple(
        Item(f"Sanding Belt, Zirconia, 2 x 72 in, {g} Grit", 6.20, 0.11, (30, 10, 2))
        for g in (36, 60, 120)
    )
    singles = (
        Item("Chop Saw Wheel, 14 x 7/64 x 1 in", 11.50, 0.9, (35.6, 35.6, 0.3)),
        Item("Knotted Wire Cup Brush, 3 in, 5/8-11 Arbor", 14.90, 0.3, (8, 8, 6)),
        Item("Crimped Wire Wheel, 6 in, 1/2-5/8 Arbor", 16.75, 0.45, (15.2, 15.2, 2.5)),
    )
    return [
        Family("Abrasives", "ABR", wheels, pack=("BX", 25)),
        Family("Abrasives", "ABR", flaps, pack=("BX", 10)),
        Family("Abrasives", "ABR", fibre, pack=("BX", 25)),
        Family("Abrasives", "ABR", belts, pack=("BX", 10)),
        Family("Abrasives", "ABR", singles),
    ]


def safety() -> list[Family]:
    sizes = ("Small", "Medium", "Large", "X-Large")
    nitrile = tuple(
        Item(
            f"Nitrile Disposable Gloves, 4 mil, Powder-Free, {s}, Box of 100",
            11.90,
            0.55,
            (24, 12.5, 6.5),
        )
        for s in sizes
    )
    cut = tuple(
        Item(f"Cut-Resistant Gloves, ANSI A4, PU Palm, {s}", 6.45, 0.06, (25, 12, 1)) for s in sizes
    )
    vests = tuple(
        Item(f"Hi-Vis Safety Vest, ANSI Class 2, Lime, {s}", 8.95, 0.15, (30, 25, 2))
        for s in ("Medium", "Large", "X-Large", "2X-Large")
    )
    eyewear = (
        Item("Safety Glasses, Clear Anti-Fog Lens, Z87+", 3.25, 0.03, (16, 6, 5)),
        Item("Safety Glasses, Smoke Lens, Z87+", 3.25, 0.03, (16, 6, 5)),
        Item("Safety Glasses, Indoor/Outdoor Mirror Lens, Z87+", 3.60, 0.03, (16, 6, 5)),
    )
    hats = tuple(
        Item(f"Hard Hat, Type I Class E, 4-Point Ratchet, {c}", 14.50, 0.4, (30, 23, 16))
        for c in ("White", "Yellow", "Blue")
    )
    singles = (
        Item("Face Shield, Clear, 8 x 15-1/2 in, with Headgear", 18.40, 0.3, (40, 22, 15)),
        Item("Auto-Darkening Welding Helmet, Shade 9-13", 129.00, 0.9, (33, 25, 25)),
        Item("First Aid Kit, 50 Person, ANSI Class A, Metal Case", 64.50, 2.1, (30, 23, 8)),
        Item("Personal Eyewash Bottle, 16 oz", 9.80, 0.55, (20, 8, 8)),
        Item("Chemical Splash Goggles, Indirect Vent", 7.40, 0.1, (18, 9, 7), True),
    )
    return [
        Family("Safety & PPE", "PPE", nitrile, base_uom="BX", other_uoms=(("CS", 10),)),
        Family("Safety & PPE", "PPE", cut, base_uom="PR", other_uoms=(("DZ", 12),)),
        Family("Safety & PPE", "PPE", vests),
        Family("Safety & PPE", "PPE", eyewear, other_uoms=(("BX", 12),)),
        Family("Safety & PPE", "PPE", hats, other_uoms=(("CS", 20),)),
        Family(
            "Safety & PPE",
            "PPE",
            (Item("Foam Earplugs, Uncorded, NRR 32", 0.21, 0.003, (3, 2, 1)),),
            base_uom="PR",
            pack=("BX", 200),
        ),
        Family(
            "Safety & PPE",
            "PPE",
            (Item("N95 Particulate Respirator, Cup Style", 1.35, 0.01, (13, 11, 6)),),
            pack=("BX", 20),
        ),
        Family("Safety & PPE", "PPE", singles),
    ]


def chemicals() -> list[Family]:
    aerosols = (
        Item("Penetrating Lubricant, Aerosol, 11 oz", 6.95, 0.42, (6.6, 6.6, 20)),
        Item("White Lithium Grease, Aerosol, 10 oz", 7.45, 0.4, (6.6, 6.6, 20)),
        Item("Silicone Lubricant Spray, Aerosol, 11 oz", 7.90, 0.42, (6.6, 6.6, 20)),
        Item("Brake Parts Cleaner, Non-Chlorinated, Aerosol, 14 oz", 5.25, 0.5, (6.6, 6.6, 24)),
        Item("Electrical Contact Cleaner, Aerosol, 11 oz", 9.60, 0.42, (6.6, 6.6, 20)),
        Item("Food Grade H1 Lubricant, Aerosol, 11 oz", 12.40, 0.42, (6.6, 6.6, 20)),
        Item("Inverted Marking Paint, Fluorescent Orange, 17 oz", 6.10, 0.55, (6.6, 6.6, 24)),
        Item("Inverted Marking Paint, Fluorescent Green, 17 oz", 6.10, 0.55, (6.6, 6.6, 24)),
        Item("Inverted Marking Paint, White, 17 oz", 5.85, 0.55, (6.6, 6.6, 24)),
    )
    flammables = (
        Item("Acetone, Technical Grade, 1 gal", 21.50, 3.2, (16, 11, 28)),
        Item("Isopropyl Alcohol 99%, 1 gal", 27.80, 3.3, (16, 11, 28)),
        Item("Mineral Spirits, Odorless, 1 gal", 19.40, 3.1, (16, 11, 28)),
        Item("Denatured Alcohol, 1 gal", 18.90, 3.2, (16, 11, 28)),
        Item("PVC Cement, Medium Body, Clear, 8 oz", 8.75, 0.3, (7, 7, 14)),
        Item("PVC Primer, Purple, 8 oz", 7.95, 0.3, (7, 7, 14)),
    )
    corrosives = (
        Item("Muriatic Acid 31.45%, 1 gal", 14.25, 4.5, (16, 11, 28)),
        Item("Alkaline Degreaser Concentrate, 1 gal", 24.60, 4.3, (16, 11, 28)),
        Item("Rust Remover, Phosphoric Acid Gel, 1 gal", 32.90, 4.6, (16, 11, 28)),
        Item("Drain Opener, Sulfuric Acid, 1 qt", 11.30, 1.8, (10, 7, 22)),
    )
    plain = (
        Item("Multipurpose Lithium Grease, NLGI 2, 14 oz Cartridge", 5.45, 0.45, (5.5, 5.5, 23)),
        Item("Hydraulic Oil, AW 32, 5 gal Pail", 79.00, 17.2, (30, 30, 37)),
        Item("Hydraulic Oil, AW 46, 5 gal Pail", 79.00, 17.3, (30, 30, 37)),
        Item("Cutting Oil, Dark Sulfurized, 1 gal", 26.40, 3.6, (16, 11, 28)),
        Item("Anaerobic Thread Sealant, Medium Strength, 50 ml", 16.80, 0.08, (4, 4, 12)),
    )
    return [
        Family("Lubricants & Chemicals", "CHM", aerosols, pack=("CS", 12), hazmat_class="2.1"),
        Family(
            "Lubricants & Chemicals", "CHM", flammables, other_uoms=(("CS", 4),), hazmat_class="3"
        ),
        Family(
            "Lubricants & Chemicals", "CHM", corrosives, other_uoms=(("CS", 4),), hazmat_class="8"
        ),
        Family("Lubricants & Chemicals", "CHM", plain, other_uoms=(("CS", 10),)),
    ]


def electrical() -> list[Family]:
    wire = tuple(
        Item(f"THHN Copper Building Wire, {g} AWG, {c}, 500 ft Spool", p, w, (30, 30, 15))
        for g, c, p, w in (
            ("12", "Black", 118.00, 8.4),
            ("12", "White", 118.00, 8.4),
            ("12", "Red", 118.00, 8.4),
            ("12", "Green", 118.00, 8.4),
            ("10", "Black", 182.00, 13.1),
        )
    )
    singles = (
        Item("Extension Cord, 12/3 SJTW, 50 ft, Lighted End", 64.90, 3.6, (33, 33, 12)),
        Item("Extension Cord, 14/3 SJTW, 25 ft", 27.40, 1.6, (28, 28, 9)),
        Item("LED High Bay, 150 W, 21,000 lm, 5000 K", 139.00, 3.4, (36, 36, 18)),
        Item("LED Wall Pack, 40 W, 5,200 lm, Dusk-to-Dawn", 84.50, 2.2, (28, 20, 15)),
        Item("GFCI Receptacle, 20 A, 125 V, Tamper-Resistant, White", 21.75, 0.15, (12, 7, 5)),
        Item("Toggle Switch, Single Pole, 20 A, Industrial Grade, Ivory", 4.35, 0.08, (11, 4, 4)),
        Item("Halogen Work Light, 500 W, Portable Stand", 39.90, 4.2, (40, 30, 25), True),
    )
    return [
        Family("Electrical", "ELE", wire, base_uom="SP"),
        Family(
            "Electrical",
            "ELE",
            (
                Item("Vinyl Electrical Tape, 3/4 in x 66 ft, Black", 2.45, 0.08, (10, 10, 2)),
                Item(
                    "Vinyl Electrical Tape, 3/4 in x 66 ft, Assorted Colors",
                    2.75,
                    0.08,
                    (10, 10, 2),
                ),
            ),
            pack=("PK", 10),
            other_uoms=(("CS", 100),),
        ),
        Family(
            "Electrical",
            "ELE",
            (
                Item("Twist-On Wire Connector, Yellow, 18-12 AWG", 0.09, 0.002, (2, 1.5, 1.5)),
                Item("Twist-On Wire Connector, Red, 22-8 AWG", 0.12, 0.003, (2.5, 2, 2)),
                Item("Cable Tie, Nylon, 8 in, 50 lb, Black", 0.04, 0.001, (20, 0.5, 0.2)),
                Item("Cable Tie, Nylon, 14 in, 120 lb, Black", 0.11, 0.004, (36, 0.8, 0.2)),
            ),
            pack=("BX", 100),
        ),
        Family(
            "Electrical",
            "ELE",
            (Item("LED Tube, 4 ft T8, 14 W, Ballast Bypass, 4000 K", 6.80, 0.2, (122, 3, 3)),),
            other_uoms=(("CS", 25),),
        ),
        Family(
            "Electrical",
            "ELE",
            (Item("Duplex Receptacle, 15 A, 125 V, Commercial, White", 1.85, 0.06, (10, 4, 4)),),
            other_uoms=(("BX", 10),),
        ),
        Family("Electrical", "ELE", singles),
    ]


def power_tools() -> Family:
    return Family(
        "Power Tools",
        "PWT",
        (
            Item(
                "20V Cordless Drill/Driver Kit, 1/2 in, 2 x 2.0 Ah Batteries",
                179.00,
                2.9,
                (38, 30, 11),
            ),
            Item("20V Cordless Impact Driver, 1/4 in Hex, Tool Only", 139.00, 1.2, (20, 18, 8)),
            Item(
                "20V Cordless Hammer Drill Kit, 1/2 in, 5.0 Ah Battery", 249.00, 3.6, (40, 32, 12)
            ),
            Item("20V Cordless Angle Grinder, 4-1/2 in, Tool Only", 159.00, 1.9, (35, 12, 12)),
            Item("20V Cordless Reciprocating Saw, Tool Only", 169.00, 2.6, (45, 15, 10)),
            Item("20V Cordless Circular Saw, 6-1/2 in, Tool Only", 179.00, 3.0, (35, 25, 25)),
            Item("20V Lithium-Ion Battery, 5.0 Ah", 129.00, 0.62, (12, 8, 7)),
            Item("20V Lithium-Ion Battery, 2.0 Ah", 69.00, 0.35, (11, 8, 5)),
            Item("20V Rapid Charger", 59.00, 0.5, (17, 12, 8)),
            Item("Angle Grinder, Corded, 4-1/2 in, 11 A, Paddle Switch", 109.00, 2.3, (32, 12, 11)),
            Item("Rotary Hammer, Corded, SDS-Plus, 1 in", 229.00, 3.9, (45, 25, 12)),
            Item("Magnetic Drill Press, 1-3/8 in Capacity, 120 V", 1149.00, 13.5, (45, 35, 25)),
            Item("Bench Grinder, 8 in, 3/4 HP", 189.00, 17.0, (45, 30, 30)),
            Item("Heat Gun, Dual Temperature, 1500 W", 54.90, 0.8, (27, 22, 8)),
            Item(
                "18V Cordless Drill/Driver Kit, 1/2 in (superseded by 20V)",
                119.00,
                2.7,
                (36, 30, 11),
                True,
            ),
            Item("18V NiCd Battery, 2.4 Ah", 59.00, 0.8, (12, 8, 8), True),
        ),
    )


def hand_tools() -> list[Family]:
    return [
        Family(
            "Hand Tools",
            "HND",
            (
                Item(
                    "Combination Wrench Set, SAE, 11 Piece, 1/4 to 7/8 in", 74.50, 1.6, (35, 15, 3)
                ),
                Item(
                    "Combination Wrench Set, Metric, 11 Piece, 8 to 19 mm", 74.50, 1.5, (35, 15, 3)
                ),
                Item("Socket Set, 3/8 in Drive, 40 Piece, SAE/Metric", 89.00, 3.1, (40, 25, 7)),
                Item("Socket Set, 1/2 in Drive, 26 Piece, SAE/Metric", 129.00, 5.2, (45, 30, 8)),
                Item("Screwdriver Set, 8 Piece, Phillips/Slotted", 29.90, 0.9, (30, 15, 4)),
                Item("Adjustable Wrench, 10 in", 21.40, 0.45, (26, 8, 2)),
                Item("Adjustable Wrench, 12 in", 27.60, 0.7, (31, 9, 2.5)),
                Item("Linesman Pliers, 9 in, Insulated Grips", 32.80, 0.42, (24, 7, 2.5)),
                Item("Diagonal Cutting Pliers, 8 in", 26.10, 0.3, (21, 6, 2)),
                Item("Tongue-and-Groove Pliers, 10 in", 23.90, 0.35, (26, 7, 2)),
                Item("Tape Measure, 25 ft x 1-1/4 in", 18.50, 0.5, (9, 9, 5)),
                Item("Claw Hammer, 16 oz, Fiberglass Handle", 19.75, 0.8, (33, 13, 3)),
                Item("Drilling Hammer, 3 lb", 24.30, 1.6, (28, 11, 4)),
                Item("Utility Knife, Retractable, Metal Body", 9.95, 0.2, (16, 5, 2)),
                Item("Hex Key Set, L-Style, 13 Piece, SAE", 16.40, 0.35, (15, 8, 2)),
                Item("Torque Wrench, 1/2 in Drive, 20-150 ft-lb", 149.00, 1.9, (55, 10, 6)),
                Item("Box Level, Aluminum, 24 in", 34.50, 0.75, (61, 6, 2.5)),
                Item("Hacksaw Frame, 12 in, High Tension", 17.90, 0.6, (40, 12, 3)),
                Item("Bolt Cutter, 24 in", 54.00, 3.4, (61, 15, 4)),
            ),
        ),
        Family(
            "Hand Tools",
            "HND",
            (Item("Utility Knife Blades, Heavy Duty", 0.14, 0.005, (6, 2, 0.1)),),
            pack=("PK", 100),
        ),
    ]


def plumbing() -> list[Family]:
    pvc = tuple(
        Item(f"PVC Schedule 40 {kind}, {s} in, Socket", p, w, (c, c, c))
        for kind, s, p, w, c in (
            ("90 Degree Elbow", "1/2", 0.62, 0.02, 4),
            ("90 Degree Elbow", "3/4", 0.74, 0.03, 5),
            ("90 Degree Elbow", "1", 1.28, 0.05, 6),
            ("90 Degree Elbow", "2", 3.45, 0.15, 9),
            ("Tee", "1/2", 0.78, 0.03, 5),
            ("Tee", "3/4", 0.96, 0.04, 6),
        )
    )
    copper = tuple(
        Item(f"Copper 90 Degree Elbow, C x C, {s} in", p, w, (c, c, c))
        for s, p, w, c in (("1/2", 1.95, 0.03, 3), ("3/4", 3.90, 0.06, 4))
    )
    valves = tuple(
        Item(f"Brass Ball Valve, Full Port, 600 WOG, {s} in FNPT", p, w, (c, c, c))
        for s, p, w, c in (
            ("1/2", 12.40, 0.25, 7),
            ("3/4", 16.90, 0.36, 8),
            ("1", 24.80, 0.55, 9),
            ("2", 79.50, 1.9, 14),
        )
    )
    return [
        Family("Plumbing", "PLB", pvc, pack=("BG", 10)),
        Family("Plumbing", "PLB", copper, pack=("BG", 10)),
        Family("Plumbing", "PLB", valves),
        Family(
            "Plumbing",
            "PLB",
            (Item("PTFE Thread Seal Tape, 1/2 in x 520 in", 0.95, 0.01, (5, 5, 1.3)),),
            other_uoms=(("PK", 10),),
        ),
        Family(
            "Plumbing",
            "PLB",
            (
                Item("Pipe Wrench, Cast Iron, 14 in", 36.90, 1.6, (36, 12, 4)),
                Item("Pipe Wrench, Cast Iron, 18 in", 49.50, 2.6, (46, 14, 4.5)),
            ),
        ),
    ]


def facility() -> list[Family]:
    return [
        Family(
            "Janitorial & Facility",
            "FAC",
            (
                Item("Ice Melt, Calcium Chloride Blend, 50 lb Bag", 24.90, 22.7, (60, 40, 12)),
                Item("Floor Absorbent, Clay, 40 lb Bag", 11.40, 18.1, (55, 38, 10)),
                Item("Universal Spill Kit, 20 gal Drum", 149.00, 9.5, (45, 45, 60)),
                Item("Shop Towels, Red, 13 x 14 in, Box of 200", 39.50, 2.3, (40, 30, 20)),
            ),
        ),
        Family(
            "Janitorial & Facility",
            "FAC",
            (Item("Stretch Wrap, 18 in x 1500 ft, 80 Gauge", 19.80, 2.1, (46, 10, 10)),),
            other_uoms=(("CS", 4),),
        ),
        Family(
            "Janitorial & Facility",
            "FAC",
            (
                Item("Trash Liner, 55-60 gal, 1.5 mil, Black", 0.42, 0.1, (10, 10, 1)),
                Item(
                    "Absorbent Pad, Universal, 15 x 19 in, Medium Weight", 0.68, 0.05, (48, 38, 0.4)
                ),
            ),
            pack=("CS", 100),
        ),
    ]


def families() -> list[Family]:
    """Every product family in catalogue order."""
    return [
        screws(),
        *nuts_and_washers(),
        anchors_and_specials(),
        *abrasives(),
        *safety(),
        *chemicals(),
        *electrical(),
        power_tools(),
        *hand_tools(),
        *plumbing(),
        *facility(),
    ]


def catalogue() -> tuple[list[Product], list[UomConversion]]:
    """Products with SKUs numbered per prefix (FAS-1001, ...) and their unit conversions."""
    products: list[Product] = []
    conversions: list[UomConversion] = []
    next_number: dict[str, int] = {}
    for family in families():
        pack_uom, pack = family.pack or (None, 1)
        uoms = ([(pack_uom, pack)] if pack_uom else []) + list(family.other_uoms)
        for item in family.items:
            number = next_number.get(family.prefix, 1001)
            next_number[family.prefix] = number + 1
            sku = f"{family.prefix}-{number}"
            products.append(_product(sku, family, item, pack))
            conversions += [UomConversion(sku=sku, uom=u, factor=d(f)) for u, f in uoms]
    return products, conversions


def _product(sku: str, family: Family, item: Item, pack: int) -> Product:
    length, width, height = (d(x) for x in item.size_cm)
    return Product(
        sku=sku,
        description=item.description,
        category=family.category,
        base_uom=family.base_uom,
        pack_multiple=pack,
        weight_kg=d(item.weight_kg),
        length_cm=length,
        width_cm=width,
        height_cm=height,
        hazmat_class=family.hazmat_class,
        discontinued=item.discontinued,
        list_price=money(d(item.price)),
    )


# --- customers ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Account:
    """A customer as written down here: who, how they pay, where they receive goods."""

    name: str
    aliases: str
    emails: str
    domains: str
    credit_limit: int
    sites: tuple[tuple[str, str, str, str, str], ...]  # (site, street, city, region, postal)
    part_format: str | None = None  # their own item codes, e.g. "GLF-{:05d}"
    terms: str = "NET30"
    currency: str = "USD"
    country: str = "US"
    credit_hold: bool = False


ACCOUNTS: tuple[Account, ...] = (
    Account(
        "Great Lakes Fabrication Inc.",
        "Great Lakes Fab|GLF",
        "purchasing@greatlakesfab.com|mkowalski@greatlakesfab.com",
        "greatlakesfab.com",
        150000,
        (
            ("Plant 1", "4120 W 36th St", "Cleveland", "OH", "44109"),
            ("Plant 2", "880 Industrial Pkwy N", "Elyria", "OH", "44035"),
        ),
        "GLF-{:05d}",
    ),
    Account(
        "Summit Mechanical Contractors LLC",
        "Summit Mechanical",
        "orders@summitmech.com|dreyes@summitmech.com",
        "summitmech.com",
        80000,
        (
            ("Shop", "2215 Federal Blvd", "Denver", "CO", "80211"),
            ("Union Station Jobsite", "1450 Wewatta St", "Denver", "CO", "80202"),
        ),
        "SMC{:04d}",
    ),
    Account(
        "Ridgeline Construction Co.",
        "Ridgeline|RCC",
        "procurement@ridgelinebuilds.com",
        "ridgelinebuilds.com",
        120000,
        (
            ("Main Office", "3300 N Central Ave", "Phoenix", "AZ", "85012"),
            ("Equipment Yard", "2150 W Broadway Rd", "Tempe", "AZ", "85282"),
        ),
        "RC-{:06d}",
        terms="NET45",
    ),
    Account(
        "Pioneer Valley Manufacturing",
        "PVM|Pioneer Valley Mfg",
        "buyer@pvmfg.com|lnguyen@pvmfg.com",
        "pvmfg.com",
        60000,
        (("Plant", "145 Cadwell Dr", "Springfield", "MA", "01104"),),
        "PV{:05d}",
    ),
    Account(
        "Cascade Machine Works",
        "Cascade Machine",
        "purchasing@cascademachine.com",
        "cascademachine.com",
        90000,
        (("Shop", "6010 S 196th St", "Kent", "WA", "98032"),),
        "CMW-{:04d}",
    ),
    Account(
        "Bayou Industrial Services LLC",
        "Bayou Industrial|BIS",
        "mro@bayouindustrial.com|tbroussard@bayouindustrial.com",
        "bayouindustrial.com",
        100000,
        (
            ("Baton Rouge Yard", "12450 Airline Hwy", "Baton Rouge", "LA", "70817"),
            ("Sulphur Shop", "1900 E Napoleon St", "Sulphur", "LA", "70663"),
        ),
        "BIS{:05d}",
    ),
    Account(
        "Lone Star Pipe & Valve",
        "Lone Star P&V|LSPV",
        "po@lonestarpv.com",
        "lonestarpv.com",
        200000,
        (("Warehouse", "9500 Telephone Rd", "Houston", "TX", "77075"),),
        "LS-{:05d}",
    ),
    Account(
        "Keystone Facilities Maintenance",
        "Keystone FM",
        "service@keystonefm.com|jmiller@keystonefm.com",
        "keystonefm.com",
        40000,
        (("Office", "1200 N 7th St", "Harrisburg", "PA", "17102"),),
        "KFM{:04d}",
    ),
    Account(
        "Harbor Marine Repair",
        "Harbor Marine",
        "parts@harbormarine.com",
        "harbormarine.com",
        25000,
        (("Dock 4", "1510 E Ocean Blvd", "Long Beach", "CA", "90802"),),
        terms="NET15",
    ),
    Account(
        "Prairie Ag Equipment",
        "Prairie Ag",
        "shop@prairieag.com",
        "prairieag.com",
        50000,
        (("Dealership", "3401 Main Ave", "Fargo", "ND", "58103"),),
        "PAE-{:04d}",
    ),
    Account(
        "Blue Ridge Millwork Inc.",
        "Blue Ridge Millwork",
        "purchasing@blueridgemillwork.com",
        "blueridgemillwork.com",
        35000,
        (("Mill", "415 Industrial Dr", "Hickory", "NC", "28602"),),
        "BRM{:04d}",
    ),
    Account(
        "Mesa Electric Co.",
        "Mesa Electric",
        "orders@mesaelectric.com",
        "mesaelectric.com",
        45000,
        (("Shop", "1825 E University Dr", "Mesa", "AZ", "85203"),),
        "ME-{:05d}",
    ),
    Account(
        "Tri-County Schools Facilities Dept.",
        "Tri-County Schools|TCSD Facilities",
        "facilities@tricountyschools.org",
        "tricountyschools.org",
        30000,
        (("Maintenance Center", "500 Academy Dr", "Rockford", "IL", "61108"),),
        terms="NET45",
    ),
    Account(
        "Ironwood Welding & Fabrication",
        "Ironwood Welding",
        "office@ironwoodweld.com|cbauer@ironwoodweld.com",
        "ironwoodweld.com",
        60000,
        (("Shop", "8200 W Fond du Lac Ave", "Milwaukee", "WI", "53218"),),
        "IW{:05d}",
    ),
    Account(
        "Copperline HVAC Services",
        "Copperline HVAC",
        "dispatch@copperlinehvac.com",
        "copperlinehvac.com",
        40000,
        (("Warehouse", "4470 Commerce Cir SW", "Atlanta", "GA", "30336"),),
        "CL-{:04d}",
    ),
    Account(
        "Redwood Property Management",
        "Redwood PM",
        "maintenance@redwoodpm.com|redwoodpm.maint@gmail.com",
        "redwoodpm.com",
        20000,
        (
            ("Office", "2100 Webster St", "Oakland", "CA", "94612"),
            ("Lakeshore Apartments", "3250 Lakeshore Ave", "Oakland", "CA", "94610"),
        ),
    ),
    Account(
        "Atlas Conveyor Systems",
        "Atlas Conveyor|ACS",
        "purchasing@atlasconveyor.com",
        "atlasconveyor.com",
        110000,
        (("Plant", "2750 Fern Valley Rd", "Louisville", "KY", "40213"),),
        "ACS-{:05d}",
    ),
    Account(
        "Evergreen Food Processing Co.",
        "Evergreen Foods",
        "maint.purchasing@evergreenfoods.com",
        "evergreenfoods.com",
        75000,
        (("Plant", "3300 NE Columbia Blvd", "Portland", "OR", "97211"),),
        "EFP{:06d}",
    ),
    Account(
        "Granite State Builders",
        "Granite State",
        "office@granitestatebuilders.com",
        "granitestatebuilders.com",
        30000,
        (("Office", "60 Commercial St", "Manchester", "NH", "03101"),),
    ),
    Account(
        "Sunbelt Fleet Services",
        "Sunbelt Fleet",
        "parts@sunbeltfleet.com",
        "sunbeltfleet.com",
        25000,
        (("Garage", "5210 N Orange Blossom Trl", "Orlando", "FL", "32810"),),
        "SF{:04d}",
        credit_hold=True,
    ),
    Account(
        "Maple Leaf Fabricators Ltd.",
        "Maple Leaf Fab",
        "purchasing@mapleleaffab.ca",
        "mapleleaffab.ca",
        90000,
        (("Plant", "275 Export Blvd", "Mississauga", "ON", "L5S 1Y4"),),
        "MLF-{:05d}",
        currency="CAD",
        country="CA",
    ),
    Account(
        "Fraser Valley Mechanical Ltd.",
        "FV Mechanical",
        "orders@fvmechanical.ca",
        "fvmechanical.ca",
        50000,
        (("Shop", "19150 94 Ave", "Surrey", "BC", "V4N 3S4"),),
        "FVM{:04d}",
        currency="CAD",
        country="CA",
    ),
    Account(
        "Köhler & Vasquez Automation GmbH",
        "K&V Automation|KVA",
        "einkauf@kv-automation.de|purchasing.us@kv-automation.de",
        "kv-automation.de|kvautomation.com",
        120000,
        (("US Plant", "1200 Woods Chapel Rd", "Duncan", "SC", "29334"),),
        "KV-{:07d}",
        currency="EUR",
        terms="NET60",
    ),
    Account(
        "Heartland Grain Cooperative",
        "Heartland Grain|Heartland Coop",
        "supplies@heartlandgrain.coop",
        "heartlandgrain.coop",
        50000,
        (("Elevator", "1101 W 4th St", "Hastings", "NE", "68901"),),
        "HGC{:04d}",
    ),
    Account(
        "Coastal Paper & Packaging",
        "Coastal Paper|CP&P",
        "mro.buyer@coastalpaperpack.com",
        "coastalpaperpack.com",
        130000,
        (("Mill", "1 Crossroads Pkwy", "Savannah", "GA", "31407"),),
        "CPP-{:05d}",
    ),
)


def customers(rng: random.Random) -> tuple[list[Customer], list[ShipTo]]:
    """The 25 accounts with their ship-to addresses; the first site is the default."""
    out: list[Customer] = []
    ship_tos: list[ShipTo] = []
    for number, acct in enumerate(ACCOUNTS, start=1001):
        customer_id = f"C{number}"
        sites = [
            ShipTo(
                ship_to_id=f"{customer_id}-{i}",
                customer_id=customer_id,
                name=f"{acct.name} - {site}",
                street=street,
                city=city,
                region=region,
                postal_code=postal,
                country=acct.country,
            )
            for i, (site, street, city, region, postal) in enumerate(acct.sites, start=1)
        ]
        ship_tos += sites
        out.append(
            Customer(
                customer_id=customer_id,
                name=acct.name,
                aliases=acct.aliases,
                email_addresses=acct.emails,
                email_domains=acct.domains,
                currency=acct.currency,
                payment_terms=acct.terms,
                credit_limit=d(acct.credit_limit),
                open_balance=_open_balance(rng, acct),
                credit_hold=acct.credit_hold,
                default_ship_to_id=sites[0].ship_to_id,
            )
        )
    return out, ship_tos


def _open_balance(rng: random.Random, acct: Account) -> Decimal:
    share = rng.uniform(1.05, 1.3) if acct.credit_hold else rng.uniform(0.05, 0.7)
    return money(d(acct.credit_limit) * d(round(share, 4)))


def cross_references(
    rng: random.Random, accounts: list[Customer], products: list[Product]
) -> list[CrossReference]:
    """Each account with its own part-number format knows 6 to 12 of our SKUs by its code."""
    live = [p.sku for p in products if not p.discontinued]
    refs: list[CrossReference] = []
    for cust, acct in zip(accounts, ACCOUNTS, strict=True):
        if acct.part_format is None:
            continue
        codes = rng.sample(range(100, 99999), 12)
        for code, sku in zip(codes, rng.sample(live, rng.randint(6, 12)), strict=False):
            refs.append(
                CrossReference(
                    customer_id=cust.customer_id,
                    customer_item_code=acct.part_format.format(code),
                    sku=sku,
                )
            )
    return refs


# --- prices -------------------------------------------------------------------------------

CONTRACT_START, CONTRACT_END = date(2026, 1, 1), date(2027, 12, 31)
LIVE_PROMOTION = (date(2026, 11, 1), date(2027, 12, 31))
EXPIRED_PROMOTION = (date(2026, 6, 1), date(2026, 8, 31))
LIVE_PROMOTION_ITEMS = (
    "Ice Melt",
    "Nitrile Disposable Gloves, 4 mil, Powder-Free, Large",
    "Hi-Vis Safety Vest, ANSI Class 2, Lime, Large",
    "Penetrating Lubricant",
    "20V Lithium-Ion Battery, 5.0 Ah",
    "Extension Cord, 12/3",
)
EXPIRED_PROMOTION_ITEMS = (
    "Foam Earplugs",
    "Safety Glasses, Smoke Lens",
    "Cut-Off Wheel, Type 1, 4-1/2",
    "Floor Absorbent",
)


def contracts(
    rng: random.Random,
    accounts: list[Customer],
    products: list[Product],
) -> tuple[list[PriceAgreement], list[PriceTier]]:
    """Contract prices for 14 accounts, some with a minimum quantity and quantity breaks."""
    live = [p for p in products if not p.discontinued]
    agreements: list[PriceAgreement] = []
    tiers: list[PriceTier] = []
    for cust in accounts[:14] + accounts[20:23]:
        for product in rng.sample(live, rng.randint(3, 7)):
            agreement = _contract(rng, f"CT-{len(agreements) + 1:04d}", cust, product)
            agreements.append(agreement)
            if rng.random() < 0.3:
                tiers += _breaks(agreement, product.pack_multiple)
    expired = agreements[1].model_copy(
        update={
            "agreement_id": "CT-0000",
            "valid_from": date(2025, 1, 1),
            "valid_to": date(2025, 12, 31),
            "unit_price": money(agreements[1].unit_price * d("0.97")),
        }
    )
    return [expired, *agreements], tiers


def _contract(
    rng: random.Random, agreement_id: str, cust: Customer, product: Product
) -> PriceAgreement:
    fx = FX_PER_USD.get(cust.currency, Decimal(1))
    discount = d(rng.choice((0.06, 0.08, 0.1, 0.12, 0.15, 0.18, 0.22)))
    min_qty = product.pack_multiple * rng.choice((5, 10)) if rng.random() < 0.25 else 0
    return PriceAgreement(
        agreement_id=agreement_id,
        kind="contract",
        customer_id=cust.customer_id,
        sku=product.sku,
        unit_price=money(product.list_price * fx * (1 - discount)),
        currency=cust.currency,
        min_order_qty=d(min_qty),
        valid_from=CONTRACT_START,
        valid_to=CONTRACT_END,
    )


def _breaks(agreement: PriceAgreement, pack: int) -> list[PriceTier]:
    return [
        PriceTier(
            agreement_id=agreement.agreement_id,
            min_quantity=d(pack * qty),
            unit_price=money(agreement.unit_price * d(factor)),
        )
        for qty, factor in ((10, 0.96), (50, 0.92))
    ]


def promotions(products: list[Product]) -> tuple[list[PriceAgreement], list[PriceTier]]:
    """The live winter promotion (to 2027-12-31) and the summer one that ended in August."""
    agreements = _promotion(
        "PRM-W27", LIVE_PROMOTION_ITEMS, LIVE_PROMOTION, d("0.85"), products
    ) + _promotion("PRM-S26", EXPIRED_PROMOTION_ITEMS, EXPIRED_PROMOTION, d("0.8"), products)
    first = agreements[0]  # ice melt: cheaper again by the pallet
    tiers = [
        PriceTier(
            agreement_id=first.agreement_id,
            min_quantity=d(49),
            unit_price=money(first.unit_price * d("0.9")),
        )
    ]
    return agreements, tiers


def _promotion(
    prefix: str,
    starts: tuple[str, ...],
    window: tuple[date, date],
    factor: Decimal,
    products: list[Product],
) -> list[PriceAgreement]:
    chosen = [next(p for p in products if p.description.startswith(s)) for s in starts]
    return [
        PriceAgreement(
            agreement_id=f"{prefix}-{i:02d}",
            kind="promotion",
            sku=p.sku,
            unit_price=money(p.list_price * factor),
            valid_from=window[0],
            valid_to=window[1],
        )
        for i, p in enumerate(chosen, start=1)
    ]


# --- warehouses and stock -----------------------------------------------------------------

WAREHOUSES = (
    Warehouse(
        warehouse_id="CHI",
        name=f"{COMPANY} - Chicago DC",
        street="2400 S Kilbourn Ave",
        city="Chicago",
        region="IL",
        postal_code="60623",
        timezone="America/Chicago",
        hazmat_certified=True,
    ),
    Warehouse(
        warehouse_id="RNO",
        name=f"{COMPANY} - Reno DC",
        street="1255 Trademark Dr",
        city="Reno",
        region="NV",
        postal_code="89521",
        timezone="America/Los_Angeles",
    ),
    Warehouse(
        warehouse_id="ATL",
        name=f"{COMPANY} - Atlanta DC",
        street="4600 Fulton Industrial Blvd SW",
        city="Atlanta",
        region="GA",
        postal_code="30336",
        timezone="America/New_York",
    ),
)
RECEIPTS_FROM, RECEIPTS_DAYS = date(2026, 12, 1), 120


def stock(rng: random.Random, products: list[Product]) -> list[StockLevel]:
    """Every product in every warehouse allowed to hold it; about one in eight runs short."""
    levels: list[StockLevel] = []
    for product in products:
        for wh in WAREHOUSES:
            if product.hazmat_class and not wh.hazmat_certified:
                continue
            levels.append(_stock_level(rng, product, wh.warehouse_id))
    return levels


def _stock_level(rng: random.Random, product: Product, warehouse_id: str) -> StockLevel:
    pack = product.pack_multiple
    unit = pack if pack > 1 else (10 if product.list_price < 50 else 1)
    safety_units = rng.choice((0, 0, 1, 2))
    if product.discontinued:
        on_hand_units = rng.randint(0, 3)
    elif rng.random() < 0.12:  # short: nothing, or less than is already promised
        on_hand_units = rng.choice((0, safety_units + 1))
    else:
        on_hand_units = rng.randint(8, 60)
    allocated_units = min(on_hand_units, rng.randint(0, max(on_hand_units // 3, 2)))
    return StockLevel(
        sku=product.sku,
        warehouse_id=warehouse_id,
        on_hand=d(on_hand_units * unit),
        allocated=d(allocated_units * unit),
        safety_stock=d(safety_units * unit),
    )


def receipts(
    rng: random.Random, products: list[Product], levels: list[StockLevel]
) -> list[ScheduledReceipt]:
    """Purchase orders due in 2026-12 .. 2027-03 for every short row and a few others."""
    packs = {p.sku: p for p in products}
    out: list[ScheduledReceipt] = []
    for level in levels:
        product = packs[level.sku]
        short = level.on_hand - level.allocated - level.safety_stock <= 0
        if product.discontinued or not (short or rng.random() < 0.05):
            continue
        unit = product.pack_multiple if product.pack_multiple > 1 else 10
        expected = RECEIPTS_FROM + timedelta(days=rng.randrange(RECEIPTS_DAYS))
        out.append(
            ScheduledReceipt(
                receipt_id=f"PO-{74000 + len(out) * 7}-{level.warehouse_id}",
                sku=level.sku,
                warehouse_id=level.warehouse_id,
                expected_date=expected,
                quantity=d(unit * rng.randint(10, 40)),
            )
        )
    return out


# --- carriers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Service:
    """A carrier service and how its rates are built: base + per kg, times a zone factor."""

    service_id: str
    name: str
    transit_days: int
    cutoff: time
    max_weight_kg: int
    base: str
    per_kg: str
    zones: range = range(2, 9)
    hazmat: bool = False
    countries: str = "US"


PARCEL_BRACKETS = (1, 2.5, 5, 10, 20, 30, 45, 68)
FREIGHT_BRACKETS = (100, 250, 500, 1000, 2500, 5000, 9000)
CARRIERS: tuple[tuple[str, str, tuple[Service, ...]], ...] = (
    (
        "PXP",
        "ParcelXpress",
        (
            Service(
                "PXP-GND",
                "ParcelXpress Ground",
                5,
                time(17, 0),
                68,
                "9.85",
                "0.92",
                countries="US|CA",
            ),
            Service("PXP-2DA", "ParcelXpress 2nd Day Air", 2, time(16, 0), 68, "21.40", "2.35"),
            Service("PXP-NDA", "ParcelXpress Next Day Air", 1, time(15, 0), 68, "38.90", "4.10"),
        ),
    ),
    (
        "SWS",
        "Swift Parcel Service",
        (
            Service("SWS-GND", "Swift Ground", 4, time(16, 30), 45, "9.20", "0.88"),
            Service("SWS-2DA", "Swift 2Day", 2, time(15, 30), 45, "19.80", "2.20"),
        ),
    ),
    (
        "RRX",
        "Roadrunner Regional Express",
        (
            Service(
                "RRX-GND", "Regional Ground", 2, time(18, 0), 70, "7.60", "0.70", zones=range(2, 6)
            ),
            Service(
                "RRX-NXT",
                "Regional Next Day",
                1,
                time(14, 0),
                70,
                "14.90",
                "1.15",
                zones=range(2, 5),
            ),
        ),
    ),
    (
        "KFL",
        "Keystone Freight Lines",
        (
            Service(
                "KFL-LTL",
                "LTL Standard",
                5,
                time(15, 0),
                9000,
                "145",
                "0.38",
                hazmat=True,
                countries="US|CA",
            ),
            Service(
                "KFL-LTLG",
                "LTL Guaranteed",
                3,
                time(14, 0),
                9000,
                "210",
                "0.52",
                hazmat=True,
                countries="US|CA",
            ),
            Service(
                "KFL-HZG",
                "Hazmat Ground (Limited Quantity)",
                4,
                time(15, 0),
                68,
                "24.50",
                "1.30",
                hazmat=True,
            ),
        ),
    ),
)


def carriers() -> tuple[list[Carrier], list[CarrierService], list[CarrierRate]]:
    """Four carriers; only Keystone Freight Lines takes hazardous materials."""
    out: list[Carrier] = []
    services: list[CarrierService] = []
    rates: list[CarrierRate] = []
    for carrier_id, name, carrier_services in CARRIERS:
        out.append(Carrier(carrier_id=carrier_id, name=name))
        for svc in carrier_services:
            services.append(
                CarrierService(
                    service_id=svc.service_id,
                    carrier_id=carrier_id,
                    name=svc.name,
                    transit_days=svc.transit_days,
                    cutoff_time=svc.cutoff,
                    hazmat_allowed=svc.hazmat,
                    max_weight_kg=d(svc.max_weight_kg),
                    countries=svc.countries,
                )
            )
            rates += _rates(svc)
    return out, services, rates


INTERNATIONAL_ZONE = 9  # tools.carriers: a destination in another country


def _rates(svc: Service) -> list[CarrierRate]:
    brackets = FREIGHT_BRACKETS if svc.max_weight_kg > 100 else PARCEL_BRACKETS
    zones = [*svc.zones]
    if any(c != "US" for c in svc.countries.split("|")):
        zones.append(INTERNATIONAL_ZONE)  # cross-border services need a rate to be usable
    return [
        CarrierRate(
            service_id=svc.service_id,
            zone=zone,
            max_weight_kg=d(kg),
            cost=money((d(svc.base) + d(svc.per_kg) * d(kg)) * (1 + d("0.12") * (zone - 2))),
        )
        for zone in zones
        for kg in brackets
        if kg <= svc.max_weight_kg
    ]


# --- the whole company --------------------------------------------------------------------


def build() -> list[Record]:
    """Every master-data record of the demo company, the same on every run."""
    rng = random.Random(SEED)
    products, conversions = catalogue()
    accounts, ship_tos = customers(rng)
    refs = cross_references(rng, accounts, products)
    contract_prices, contract_tiers = contracts(rng, accounts, products)
    promos, promo_tiers = promotions(products)
    levels = stock(rng, products)
    carrier_list, services, rates = carriers()
    fx = [FxRate(currency=c, per_base=rate) for c, rate in FX_PER_USD.items()]
    return [
        *accounts,
        *ship_tos,
        *products,
        *conversions,
        *refs,
        *contract_prices,
        *promos,
        *contract_tiers,
        *promo_tiers,
        *WAREHOUSES,
        *levels,
        *receipts(rng, products, levels),
        *carrier_list,
        *services,
        *rates,
        *fx,
    ]


def main(argv: list[str] | None = None) -> int:
    """Write the demo company's CSV files into the directory given on the command line."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m app.masterdata.demo_generator OUTDIR", file=sys.stderr)
        return 2
    counts = write_directory(Path(args[0]), build())
    print(", ".join(f"{n} {name}" for name, n in counts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
