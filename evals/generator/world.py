"""Invented people, companies, places and items that are deliberately not in the master data."""

from __future__ import annotations

from evals.generator.language import Lang

SELLER_NAME = "Northwind Industrial Supply"
SELLER_DOMAIN = "northwind-supply.example"
SELLER_INBOX = f"orders@{SELLER_DOMAIN}"
SELLER_STREET = "4400 Commerce Drive"
SELLER_CITY = "Columbus, OH 43228"
INTERNAL_REPS: tuple[tuple[str, str], ...] = (
    ("Dana Whitfield", f"dana.whitfield@{SELLER_DOMAIN}"),
    ("Marco Ruiz", f"m.ruiz@{SELLER_DOMAIN}"),
    ("Inside Sales", f"insidesales@{SELLER_DOMAIN}"),
)

FIRST_NAMES: dict[Lang, tuple[str, ...]] = {
    "en": (
        "Karen",
        "Luis",
        "Priya",
        "Tom",
        "Megan",
        "Dwayne",
        "Hannah",
        "Omar",
        "Beth",
        "Chen",
        "Rosa",
        "Gary",
        "Aisha",
        "Ken",
        "Nora",
        "Pete",
    ),
    "de": ("Jürgen", "Sabine", "Lukas", "Monika", "Florian", "Anja", "Stefan", "Katrin"),
    "fr": ("Camille", "Julien", "Élodie", "Mathieu", "Sophie", "Nicolas", "Aurélie"),
    "es": ("Javier", "Lucía", "Carmen", "Álvaro", "Marta", "Diego", "Paula"),
}
LAST_NAMES: dict[Lang, tuple[str, ...]] = {
    "en": (
        "Okafor",
        "Brennan",
        "Malhotra",
        "Sullivan",
        "Ortiz",
        "Nakamura",
        "Whitaker",
        "Delgado",
        "Kowalski",
        "Fitzgerald",
        "Haddad",
        "Lindqvist",
    ),
    "de": ("Brandt", "Schäfer", "Hoffmann", "Vogel", "Krüger", "Lehmann", "Zimmermann"),
    "fr": ("Lefèvre", "Garnier", "Morel", "Chevalier", "Fontaine", "Rousseau"),
    "es": ("Navarro", "Iglesias", "Serrano", "Castillo", "Ramos", "Ortega"),
}

# Organisations that do not buy from us (yet): (name, domain, street, city, region, zip, country)
STRANGERS: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    (
        "Quillfeather Mechanical LLC",
        "quillfeather-mech.example",
        "77 Foundry St",
        "Dayton",
        "OH",
        "45402",
        "US",
    ),
    (
        "Greenfield Hospital Facilities",
        "greenfield-health.example",
        "2 Wellness Pkwy",
        "Greenfield",
        "IN",
        "46140",
        "US",
    ),
    ("Osprey Boatworks", "ospreyboats.example", "19 Harbor Loop", "Beaufort", "SC", "29902", "US"),
    (
        "Sagebrush Verde Contractors",
        "sagebrush-con.example",
        "850 Adobe Rd",
        "Santa Fe",
        "NM",
        "87505",
        "US",
    ),
    (
        "Loon Lake School District #4",
        "loonlake-sd4.example",
        "300 School St",
        "Duluth",
        "MN",
        "55802",
        "US",
    ),
    (
        "Nordwerk Anlagenbau GmbH",
        "nordwerk-ab.example",
        "Hafenstraße 31",
        "Bremen",
        "",
        "28217",
        "DE",
    ),
    ("Baumann & Söhne KG", "baumann-soehne.example", "Lindenweg 5", "Augsburg", "", "86150", "DE"),
    (
        "Menuiserie Perrin",
        "menuiserie-perrin.example",
        "4 chemin des Saules",
        "Annecy",
        "",
        "74000",
        "FR",
    ),
    (
        "Talleres Olmedo S.L.",
        "talleres-olmedo.example",
        "Calle del Hierro 22",
        "Zaragoza",
        "",
        "50014",
        "ES",
    ),
    (
        "Tamarack Property Group",
        "tamarackpg.example",
        "1 Embarcadero Ctr Ste 400",
        "San Francisco",
        "CA",
        "94111",
        "US",
    ),
    (
        "Wickham Sheet Metal Co.",
        "wickham-sm.example",
        "5120 Mill Race Rd",
        "Erie",
        "PA",
        "16509",
        "US",
    ),
    (
        "Pinecrest Resorts",
        "pinecrest-resorts.example",
        "Route 9 Box 44",
        "Lake Placid",
        "NY",
        "12946",
        "US",
    ),
)

# Delivery points nobody has used before: (name suffix, street, city, region, zip, country)
NEW_SITES: dict[str, tuple[tuple[str, str, str, str, str], ...]] = {
    "US": (
        ("9 Runway Blvd", "Pasco", "WA", "99301", "US"),
        ("1400 Frontage Rd", "Laramie", "WY", "82070", "US"),
        ("62 Canal St Bldg C", "Lowell", "MA", "01852", "US"),
        ("2750 Industrial Park Dr", "Rapid City", "SD", "57701", "US"),
        ("18 Levee Rd", "Baton Rouge", "LA", "70802", "US"),
    ),
    "DE": (
        ("Gewerbepark Süd 7", "Ulm", "", "89079", "DE"),
        ("Am Güterbahnhof 12", "Kassel", "", "34117", "DE"),
    ),
    "FR": (
        ("ZI des Bruyères, 3 allée Volta", "Tours", "", "37000", "FR"),
        ("27 quai Perrache", "Lyon", "", "69002", "FR"),
    ),
    "ES": (
        ("Polígono Las Atalayas, parcela 9", "Alicante", "", "03114", "ES"),
        ("Avenida de la Industria 48", "Getafe", "", "28906", "ES"),
    ),
}
SITE_NAMES = (
    "Site Office",
    "Receiving Dock B",
    "New Branch",
    "Job Site",
    "Project Trailer",
    "Annex Warehouse",
    "Lager Nord",
    "Entrepôt 2",
    "Almacén Central",
)

# Items we do not sell: (description, buyer part number prefix)
FOREIGN_ITEMS: tuple[tuple[str, str], ...] = (
    ("Hydraulic hose assembly 1/2in x 36in JIC", "HYD"),
    ("Titanium anodized spacer kit", "TSK"),
    ("Espresso machine descaler 1L", "ESP"),
    ("Forklift LPG cylinder 33lb", "LPG"),
    ("Carbon fiber tube 25mm x 1m", "CFT"),
    ("Thermal label roll 4x6 (500)", "LBL"),
    ("Granite countertop sealer", "GCS"),
    ("Marine varnish high gloss 1qt", "MVH"),
    ("Industrial ceiling fan 72in", "ICF"),
    ("Pallet wrap film 18in x 1500ft", "PWF"),
)

STREETS_BILL: tuple[str, ...] = (
    "PO Box 1187",
    "100 Main Street, 3rd Floor",
    "Accounts Payable Dept, PO Box 52",
    "Postfach 1120",
    "BP 204",
    "Apartado de Correos 77",
)
