"""Words, labels, numbers and dates in the four languages the generated orders are written in."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

Lang = Literal["en", "de", "fr", "es"]
NumberStyle = Literal["us", "plain", "eu_dot", "eu_space", "swiss"]
DateStyle = Literal[
    "iso", "us_slash", "eu_dot", "eu_slash", "long_mdy", "long_dmy", "abbr_dmy", "no_year"
]

LANGS: tuple[Lang, ...] = ("en", "de", "fr", "es")

MONTHS: dict[Lang, tuple[str, ...]] = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "de": (
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ),
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "es": (
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
}

# Label variants: a document picks one variant per label and keeps it.
LABELS: dict[Lang, dict[str, tuple[str, ...]]] = {
    "en": {
        "title": ("PURCHASE ORDER", "Purchase Order", "P U R C H A S E   O R D E R", "Order"),
        "po": ("PO Number", "P.O. No.", "PO #", "Order No.", "Purchase Order #", "Our ref."),
        "date": ("Order Date", "Date", "PO Date", "Issued"),
        "delivery": ("Required By", "Delivery Date", "Need By", "Requested Delivery", "Ship By"),
        "ship_to": ("Ship To", "Deliver To", "SHIP TO", "Delivery Address", "Consignee"),
        "bill_to": ("Bill To", "Invoice To", "BILL TO", "Accounts Payable"),
        "vendor": ("Vendor", "Supplier", "To"),
        "code": ("Item #", "Part No.", "Item Code", "Our Part", "SKU", "Material"),
        "our_code": ("Your Part #", "Supplier Part", "Vendor Item", "Mfr Part"),
        "desc": ("Description", "Item Description", "Product", "Details"),
        "qty": ("Qty", "Quantity", "QTY", "Order Qty"),
        "uom": ("UOM", "Unit", "U/M", "Units"),
        "price": ("Unit Price", "Price", "Rate", "Price Each"),
        "amount": ("Amount", "Ext. Price", "Line Total", "Extended"),
        "subtotal": ("Subtotal", "Sub-total", "Merchandise Total"),
        "tax": ("Sales Tax", "Tax", "VAT"),
        "freight": ("Freight", "Shipping", "Shipping & Handling"),
        "total": ("Total", "TOTAL", "Grand Total", "Order Total", "Total Due"),
        "page": ("Page",),
        "carried": ("Carried forward", "Subtotal c/f", "Balance carried over"),
        "brought": ("Brought forward", "Subtotal b/f", "Balance from previous page"),
        "line": ("Ln", "Line", "#", "Pos"),
        "currency": ("Currency", "All prices in"),
        "terms": ("Terms", "Payment Terms"),
        "buyer": ("Buyer", "Contact", "Requested by"),
    },
    "de": {
        "title": ("BESTELLUNG", "Bestellung", "Auftrag", "Einkaufsbestellung"),
        "po": ("Bestellnummer", "Bestell-Nr.", "Unsere Bestellnr.", "Best.-Nr."),
        "date": ("Bestelldatum", "Datum", "Belegdatum"),
        "delivery": ("Liefertermin", "Gewünschter Liefertermin", "Lieferdatum", "Anlieferung bis"),
        "ship_to": ("Lieferanschrift", "Lieferadresse", "Warenempfänger"),
        "bill_to": ("Rechnungsanschrift", "Rechnungsadresse"),
        "vendor": ("Lieferant", "An"),
        "code": ("Artikelnr.", "Art.-Nr.", "Materialnummer", "Unsere Art.-Nr."),
        "our_code": ("Ihre Art.-Nr.", "Lieferanten-Art.-Nr."),
        "desc": ("Bezeichnung", "Artikelbezeichnung", "Beschreibung"),
        "qty": ("Menge", "Anzahl", "Bestellmenge"),
        "uom": ("Einheit", "ME", "Mengeneinheit"),
        "price": ("Einzelpreis", "Preis", "E-Preis", "Stückpreis"),
        "amount": ("Gesamtpreis", "Betrag", "G-Preis"),
        "subtotal": ("Zwischensumme", "Summe netto", "Nettobetrag"),
        "tax": ("MwSt. 19%", "USt.", "Mehrwertsteuer"),
        "freight": ("Fracht", "Versandkosten"),
        "total": ("Gesamtbetrag", "Summe", "Endbetrag", "Gesamtsumme brutto"),
        "page": ("Seite",),
        "carried": ("Übertrag", "Zwischensumme Übertrag"),
        "brought": ("Übertrag von Seite", "Übertrag"),
        "line": ("Pos.", "Position", "Nr."),
        "currency": ("Währung",),
        "terms": ("Zahlungsbedingungen", "Zahlungsziel"),
        "buyer": ("Einkäufer", "Ansprechpartner", "Sachbearbeiter"),
    },
    "fr": {
        "title": ("BON DE COMMANDE", "Bon de commande", "Commande"),
        "po": ("N° de commande", "Commande n°", "Réf. commande", "N° BC"),
        "date": ("Date de commande", "Date", "Date du BC"),
        "delivery": ("Date de livraison souhaitée", "Livraison prévue", "À livrer le"),
        "ship_to": ("Adresse de livraison", "Livrer à", "Lieu de livraison"),
        "bill_to": ("Adresse de facturation", "Facturer à"),
        "vendor": ("Fournisseur", "À l'attention de"),
        "code": ("Réf.", "Référence", "Code article", "Réf. article"),
        "our_code": ("Votre réf.", "Réf. fournisseur"),
        "desc": ("Désignation", "Description", "Libellé"),
        "qty": ("Qté", "Quantité"),
        "uom": ("Unité", "U."),
        "price": ("Prix unitaire", "P.U. HT", "Prix U."),
        "amount": ("Montant", "Montant HT", "Total ligne"),
        "subtotal": ("Total HT", "Sous-total"),
        "tax": ("TVA 20 %", "TVA"),
        "freight": ("Frais de port", "Transport"),
        "total": ("Total TTC", "Montant total", "Net à payer"),
        "page": ("Page",),
        "carried": ("Report", "À reporter"),
        "brought": ("Report", "Report page précédente"),
        "line": ("Ligne", "N°", "Pos."),
        "currency": ("Devise",),
        "terms": ("Conditions de paiement", "Règlement"),
        "buyer": ("Acheteur", "Contact", "Demandeur"),
    },
    "es": {
        "title": ("ORDEN DE COMPRA", "Pedido", "Orden de compra", "PEDIDO"),
        "po": ("N.º de pedido", "Orden de compra n.º", "Pedido nº", "Ref. pedido"),
        "date": ("Fecha del pedido", "Fecha", "Fecha de emisión"),
        "delivery": ("Fecha de entrega", "Entregar antes de", "Entrega requerida"),
        "ship_to": ("Dirección de entrega", "Enviar a", "Lugar de entrega"),
        "bill_to": ("Dirección de facturación", "Facturar a"),
        "vendor": ("Proveedor", "A la atención de"),
        "code": ("Código", "Ref.", "Artículo", "Cód. artículo"),
        "our_code": ("Su ref.", "Ref. proveedor"),
        "desc": ("Descripción", "Concepto", "Denominación"),
        "qty": ("Cant.", "Cantidad", "Unidades"),
        "uom": ("Unidad", "UM", "Ud."),
        "price": ("Precio unitario", "Precio", "P. unit."),
        "amount": ("Importe", "Total línea", "Subtotal línea"),
        "subtotal": ("Base imponible", "Subtotal", "Suma"),
        "tax": ("IVA 21%", "IVA"),
        "freight": ("Portes", "Gastos de envío", "Transporte"),
        "total": ("Total", "TOTAL", "Importe total", "Total pedido"),
        "page": ("Página",),
        "carried": ("Suma y sigue", "A la vuelta"),
        "brought": ("Suma anterior", "De la vuelta"),
        "line": ("Lín.", "Pos.", "N.º"),
        "currency": ("Moneda", "Divisa"),
        "terms": ("Forma de pago", "Condiciones de pago"),
        "buyer": ("Comprador", "Contacto", "Solicitante"),
    },
}

NUMBER_WORDS: dict[Lang, dict[int, str]] = {
    "en": {
        1: "one",
        2: "two",
        3: "three",
        4: "four",
        5: "five",
        6: "six",
        7: "seven",
        8: "eight",
        9: "nine",
        10: "ten",
        11: "eleven",
        12: "twelve",
        15: "fifteen",
        20: "twenty",
        24: "two dozen",
        25: "twenty-five",
        30: "thirty",
        40: "forty",
        50: "fifty",
        60: "sixty",
        100: "one hundred",
    },
    "de": {
        1: "ein",
        2: "zwei",
        3: "drei",
        4: "vier",
        5: "fünf",
        6: "sechs",
        7: "sieben",
        8: "acht",
        9: "neun",
        10: "zehn",
        11: "elf",
        12: "zwölf",
        15: "fünfzehn",
        20: "zwanzig",
        25: "fünfundzwanzig",
        30: "dreißig",
        40: "vierzig",
        50: "fünfzig",
        100: "hundert",
    },
    "fr": {
        1: "un",
        2: "deux",
        3: "trois",
        4: "quatre",
        5: "cinq",
        6: "six",
        7: "sept",
        8: "huit",
        9: "neuf",
        10: "dix",
        11: "onze",
        12: "douze",
        15: "quinze",
        20: "vingt",
        25: "vingt-cinq",
        30: "trente",
        40: "quarante",
        50: "cinquante",
        100: "cent",
    },
    "es": {
        1: "una",
        2: "dos",
        3: "tres",
        4: "cuatro",
        5: "cinco",
        6: "seis",
        7: "siete",
        8: "ocho",
        9: "nueve",
        10: "diez",
        11: "once",
        12: "doce",
        15: "quince",
        20: "veinte",
        25: "veinticinco",
        30: "treinta",
        40: "cuarenta",
        50: "cincuenta",
        100: "cien",
    },
}

# How a unit may be written, per language; keys are master-data uom codes.
UNIT_WORDS: dict[Lang, dict[str, tuple[str, ...]]] = {
    "en": {
        "EA": ("EA", "ea", "each", "pcs", "pc", "units"),
        "CS": ("CS", "cs", "cases", "case"),
        "BX": ("BX", "bx", "boxes", "box"),
        "PK": ("PK", "pk", "packs"),
        "RL": ("RL", "rolls"),
        "PR": ("PR", "pairs", "pr"),
        "SP": ("SP", "spools"),
        "BG": ("BG", "bags"),
        "DZ": ("DZ", "dozen", "doz"),
    },
    "de": {
        "EA": ("Stk", "Stück", "St.", "Stk."),
        "CS": ("Karton", "Ktn.", "Kart."),
        "BX": ("Schachtel", "Pck."),
        "PK": ("Pack", "Pkg."),
        "RL": ("Rolle", "Rollen"),
        "PR": ("Paar",),
        "SP": ("Spule", "Rolle"),
        "BG": ("Sack", "Beutel"),
        "DZ": ("Dutzend",),
    },
    "fr": {
        "EA": ("pce", "pièces", "unités", "u."),
        "CS": ("carton", "cartons", "colis"),
        "BX": ("boîte", "boîtes"),
        "PK": ("paquet", "lot"),
        "RL": ("rouleau", "rouleaux"),
        "PR": ("paire", "paires"),
        "SP": ("bobine",),
        "BG": ("sac", "sachet"),
        "DZ": ("douzaine",),
    },
    "es": {
        "EA": ("uds", "unidades", "pza", "ud."),
        "CS": ("caja", "cajas", "bulto"),
        "BX": ("caja", "estuche"),
        "PK": ("paquete",),
        "RL": ("rollo", "rollos"),
        "PR": ("par", "pares"),
        "SP": ("bobina",),
        "BG": ("bolsa", "saco"),
        "DZ": ("docena",),
    },
}

# Unit spellings the gold route treats as plainly meaning the master-data unit; anything else
# (foreign words, "box of 12") keeps a clean order from an "auto" gold route.
PLAIN_UNITS: dict[str, frozenset[str]] = {
    "EA": frozenset({"ea", "each", "pcs", "pc"}),
    "PR": frozenset({"pr", "pairs"}),
}

CURRENCY_SIGNS: dict[str, str] = {"USD": "$", "EUR": "€", "GBP": "£", "CAD": "C$"}

COUNTRY_NAMES: dict[Lang, dict[str, tuple[str, ...]]] = {
    "en": {
        "US": ("USA", "United States", "U.S.A.", "US"),
        "DE": ("Germany",),
        "FR": ("France",),
        "ES": ("Spain",),
        "CA": ("Canada",),
        "GB": ("United Kingdom",),
        "MX": ("Mexico",),
        "NL": ("Netherlands",),
        "IT": ("Italy",),
    },
    "de": {
        "US": ("USA", "Vereinigte Staaten"),
        "DE": ("Deutschland", "DE"),
        "FR": ("Frankreich",),
        "ES": ("Spanien",),
        "CA": ("Kanada",),
        "GB": ("Großbritannien",),
        "MX": ("Mexiko",),
        "NL": ("Niederlande",),
        "IT": ("Italien",),
    },
    "fr": {
        "US": ("États-Unis", "USA"),
        "DE": ("Allemagne",),
        "FR": ("France", "FRANCE"),
        "ES": ("Espagne",),
        "CA": ("Canada",),
        "GB": ("Royaume-Uni",),
        "MX": ("Mexique",),
        "NL": ("Pays-Bas",),
        "IT": ("Italie",),
    },
    "es": {
        "US": ("EE. UU.", "Estados Unidos"),
        "DE": ("Alemania",),
        "FR": ("Francia",),
        "ES": ("España", "ESPAÑA"),
        "CA": ("Canadá",),
        "GB": ("Reino Unido",),
        "MX": ("México",),
        "NL": ("Países Bajos",),
        "IT": ("Italia",),
    },
}

LOCAL_NUMBER_STYLES: dict[Lang, tuple[NumberStyle, ...]] = {
    "en": ("us", "us", "plain"),
    "de": ("eu_dot", "eu_dot", "swiss"),
    "fr": ("eu_space", "eu_space", "eu_dot"),
    "es": ("eu_dot", "eu_dot", "plain"),
}
LOCAL_DATE_STYLES: dict[Lang, tuple[DateStyle, ...]] = {
    "en": ("iso", "us_slash", "long_mdy", "long_dmy", "abbr_dmy", "eu_slash"),
    "de": ("eu_dot", "eu_dot", "long_dmy", "iso"),
    "fr": ("eu_slash", "long_dmy", "eu_slash", "iso"),
    "es": ("eu_slash", "long_dmy", "eu_slash", "iso"),
}


def format_number(value: Decimal, style: NumberStyle, places: int = 2) -> str:
    """A number as people write it in one convention, e.g. 1.234,50."""
    quant = Decimal(1).scaleb(-places)
    text = f"{value.quantize(quant, rounding=ROUND_HALF_UP):,.{places}f}"
    if style == "us":
        return text
    if style == "plain":
        return text.replace(",", "")
    if style == "swiss":
        return text.replace(",", "'")
    whole, _, frac = text.partition(".")
    group = "." if style == "eu_dot" else " "
    whole = whole.replace(",", group)
    return f"{whole},{frac}" if frac else whole


def format_quantity(qty: int, style: NumberStyle) -> str:
    """A whole quantity, grouped the way amounts are grouped in the document."""
    return format_number(Decimal(qty), style, places=0)


def format_money(value: Decimal, style: NumberStyle, currency: str | None, where: str) -> str:
    """An amount with its currency written before, after or not at all."""
    amount = format_number(value, style)
    if currency is None or where == "none":
        return amount
    sign = CURRENCY_SIGNS.get(currency, currency)
    if where == "sign_before":
        return f"{sign}{amount}"
    if where == "sign_after":
        return f"{amount} {sign}"
    if where == "code_after":
        return f"{amount} {currency}"
    return f"{currency} {amount}"


def date_unambiguous(day: date, style: DateStyle) -> bool:
    """Whether a numeric day/month order cannot be misread (day above 12 or equal to month)."""
    if style in ("us_slash", "eu_slash"):
        return day.day > 12 or day.day == day.month
    return True


def _ordinal(n: int) -> str:
    if 11 <= n % 100 <= 13:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def format_date(day: date, style: DateStyle, lang: Lang, variant: int = 0) -> str:
    """A date as written in one convention and language."""
    month = MONTHS[lang][day.month - 1]
    if style == "iso":
        return day.isoformat()
    if style == "us_slash":
        return f"{day.month}/{day.day}/{day.year}" if variant % 2 else day.strftime("%m/%d/%Y")
    if style == "eu_dot":
        return f"{day.day}.{day.month}.{day.year}" if variant % 2 else day.strftime("%d.%m.%Y")
    if style == "eu_slash":
        return day.strftime("%d/%m/%Y")
    if style == "abbr_dmy":
        return f"{day.day:02d}-{MONTHS['en'][day.month - 1][:3]}-{day.year}"
    if style == "long_mdy":
        if variant % 2:
            return f"{month[:3]} {_ordinal(day.day)}, {day.year}"
        return f"{month} {day.day}, {day.year}"
    if style == "no_year":
        return {
            "en": f"{month} {day.day}",
            "de": f"{day.day}. {month}",
            "fr": f"{day.day} {month}",
            "es": f"{day.day} de {month}",
        }[lang]
    return {
        "en": f"{day.day} {month} {day.year}",
        "de": f"{day.day}. {month} {day.year}",
        "fr": f"{day.day} {month} {day.year}",
        "es": f"{day.day} de {month} de {day.year}",
    }[lang]


def quantity_in_words(qty: int, lang: Lang) -> str | None:
    """The quantity spelled out, when the language table has it."""
    return NUMBER_WORDS[lang].get(qty)
