"""Plan one case: what is ordered, by whom, how it is written and how it travels.

Every choice comes from one `random.Random` seeded by (seed, case index), so a case does not
change when other cases are added. Scenario issues (an unknown sender, a price below contract,
...) only steer the content; the gold route is judged afterwards from the content itself.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, TypeVar

from evals.generator import phrasing, world
from evals.generator.catalog import Catalog, CustomerView
from evals.generator.language import (
    COUNTRY_NAMES,
    LABELS,
    LOCAL_DATE_STYLES,
    LOCAL_NUMBER_STYLES,
    UNIT_WORDS,
    Lang,
    date_unambiguous,
    quantity_in_words,
)
from evals.generator.model import (
    Address,
    Amendment,
    CasePlan,
    Channel,
    Envelope,
    Injection,
    Kind,
    MoneyWhere,
    Order,
    OrderLine,
    Style,
    Wrapper,
)
from tools.masterdata import Product

T = TypeVar("T")
AmendHow = Literal["reply_quote", "reply_pdf", "revised_pdf"]
AMEND_HOWS: tuple[AmendHow, ...] = ("reply_quote", "reply_pdf", "revised_pdf")
CENT = Decimal("0.01")
ISSUES = (
    "unknown_customer",
    "unknown_item",
    "new_ship_to",
    "high_value",
    "discontinued_item",
    "price_mismatch",
    "total_mismatch",
    "possible_injection",
)
LAYOUTS: dict[Channel, tuple[str, ...]] = {
    "eml_plain": ("prose", "prose", "text_table", "text_list"),
    "eml_html": ("html_table", "html_styled", "html_prose_table"),
    "eml_pdf": ("boxed", "minimal", "two_column", "multipage", "landscape"),
    "loose_pdf": ("boxed", "minimal", "two_column", "multipage", "landscape"),
    "eml_xlsx": ("sheet_form", "sheet_table"),
    "loose_xlsx": ("sheet_form", "sheet_table"),
    "eml_csv": ("csv_flat", "csv_with_header"),
    "txt": ("text_table", "prose", "text_list"),
}
INJECTIONS_FOR: dict[Channel, tuple[Injection, ...]] = {
    "eml_plain": ("body_text",),
    "eml_html": ("html_comment", "body_text"),
    "eml_pdf": ("pdf_hidden_white", "pdf_tiny", "file_name", "body_text"),
    "loose_pdf": ("pdf_hidden_white", "pdf_tiny", "file_name"),
    "eml_xlsx": ("sheet_cell", "file_name"),
    "loose_xlsx": ("sheet_cell", "file_name"),
    "eml_csv": ("body_text", "file_name"),
    "txt": ("body_text",),
}
PRICED_SHARE: dict[str, float] = {
    "pdf": 0.9,
    "xlsx": 0.85,
    "csv": 0.7,
    "html": 0.75,
    "text_table": 0.6,
    "text_list": 0.45,
    "prose": 0.25,
}
NICE_QUANTITIES = (
    1,
    2,
    3,
    4,
    5,
    6,
    8,
    10,
    12,
    15,
    20,
    24,
    25,
    30,
    40,
    48,
    50,
    60,
    75,
    100,
    120,
    150,
    200,
    250,
    300,
    400,
    500,
    600,
    750,
    1000,
    1200,
    1500,
    2000,
)
TAX_RATES: dict[Lang, Decimal] = {
    "en": Decimal("0.0725"),
    "de": Decimal("0.19"),
    "fr": Decimal("0.20"),
    "es": Decimal("0.21"),
}
LANG_OF_COUNTRY: dict[str, Lang] = {
    "DE": "de",
    "AT": "de",
    "CH": "de",
    "FR": "fr",
    "ES": "es",
    "MX": "es",
}


def _pick(rng: random.Random, items: tuple[T, ...] | list[T]) -> T:
    return items[rng.randrange(len(items))]


def _weighted(rng: random.Random, table: dict[T, float]) -> T:
    keys = list(table)
    return rng.choices(keys, weights=[table[k] for k in keys])[0]


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _price(value: Decimal) -> Decimal:
    """A unit price as a buyer prints it: cents, or four places when cents would round it."""
    cents = _money(value)
    return cents if cents == value else value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


class Planner:
    """Plans cases against one catalog."""

    def __init__(self, catalog: Catalog, seed: int) -> None:
        self.catalog = catalog
        self.seed = seed

    # ---- top level -------------------------------------------------------------------------

    def plan(self, index: int) -> CasePlan:
        """The plan of case number `index`."""
        rng = random.Random(f"order-intake-evals:{self.seed}:{index}")
        kinds: dict[Kind, float] = {"order": 0.84, "amendment": 0.07, "non_order": 0.09}
        kind = _weighted(rng, kinds)
        case_id = f"gen-{index:04d}"
        if kind == "non_order":
            return self._plan_non_order(rng, case_id)
        issues = self._issues(rng) if kind == "order" else set()
        channel = self._channel(rng, kind)
        return self._plan_order(rng, case_id, kind, channel, issues)

    def _issues(self, rng: random.Random) -> set[str]:
        if rng.random() < 0.42:
            return set()
        issues = {_pick(rng, ISSUES)}
        if rng.random() < 0.12:
            issues.add(_pick(rng, ISSUES))
        return issues

    def _channel(self, rng: random.Random, kind: Kind) -> Channel:
        if kind == "amendment":
            return _weighted(rng, {"eml_plain": 0.5, "eml_pdf": 0.5})
        table: dict[Channel, float] = {
            "eml_plain": 18,
            "eml_html": 13,
            "eml_pdf": 22,
            "eml_xlsx": 10,
            "eml_csv": 8,
            "loose_pdf": 11,
            "loose_xlsx": 8,
            "txt": 8,
        }
        return _weighted(rng, table)

    # ---- orders ----------------------------------------------------------------------------

    def _plan_order(
        self, rng: random.Random, case_id: str, kind: Kind, channel: Channel, issues: set[str]
    ) -> CasePlan:
        layout = _pick(rng, LAYOUTS[channel])
        stranger = "unknown_customer" in issues
        customer = None if stranger else _pick(rng, self.catalog.customers)
        stranger_row = _pick(rng, world.STRANGERS) if stranger else None
        country = self._home_country(customer, stranger_row)
        lang = self._language(rng, country)
        style = self._style(rng, lang)
        wrapper = self._wrapper(rng, channel, kind)
        envelope = self._envelope(rng, case_id, lang, customer, stranger_row, wrapper)
        order = self._order(
            rng, kind, channel, layout, style, envelope, customer, stranger_row, issues
        )
        plan = CasePlan(
            case_id=case_id,
            kind=kind,
            channel=channel,
            layout=layout,
            wrapper=wrapper,
            style=style,
            envelope=envelope,
            order=order,
            customer_id=customer.customer_id if customer else None,
        )
        if "possible_injection" in issues:
            plan.injection = _pick(rng, INJECTIONS_FOR[channel])
            plan.injection_text = _pick(rng, phrasing.INJECTIONS)
        if kind == "amendment":
            plan.amendment, plan.order = self._amend(rng, order, style, customer, channel)
            plan.layout = "text_table" if channel == "eml_plain" else plan.layout
        if wrapper == "reply_history":
            plan.history = self._order(
                rng, "order", channel, "text_table", style, envelope, customer, stranger_row, set()
            )
        plan.attachment_name = self._attachment_name(rng, plan)
        plan.features = self._features(plan, issues)
        return plan

    def _home_country(self, customer: CustomerView | None, stranger: tuple[str, ...] | None) -> str:
        if stranger is not None:
            return stranger[6]
        assert customer is not None
        if customer.record.currency.upper() == "EUR":
            return "DE"  # the language of the buyer, not where the goods go
        return customer.ship_tos[0].country.upper() if customer.ship_tos else "US"

    def _language(self, rng: random.Random, country: str) -> Lang:
        home = LANG_OF_COUNTRY.get(country, "en")
        if home != "en":
            return home if rng.random() < 0.85 else "en"
        return _weighted(rng, {"en": 0.82, "de": 0.06, "fr": 0.06, "es": 0.06})

    def _style(self, rng: random.Random, lang: Lang) -> Style:
        where: MoneyWhere = _pick(
            rng,
            ("sign_before", "code_before", "none", "none")
            if lang == "en"
            else ("sign_after", "code_after", "none", "code_before"),
        )
        return Style(
            lang=lang,
            number_style=_pick(rng, LOCAL_NUMBER_STYLES[lang]),
            date_style=_pick(rng, LOCAL_DATE_STYLES[lang]),
            date_variant=rng.randrange(2),
            money_where=where,
            labels={k: _pick(rng, v) for k, v in sorted(LABELS[lang].items())},
            country_printed=rng.random() < 0.85,
        )

    def _wrapper(self, rng: random.Random, channel: Channel, kind: Kind) -> Wrapper:
        if not channel.startswith("eml_") or kind == "amendment":
            return "none"
        table: dict[Wrapper, float] = {
            "none": 0.72,
            "forward_inline": 0.1,
            "forward_attached": 0.08,
            "reply_history": 0.1,
        }
        if channel not in ("eml_plain", "eml_html"):
            table["reply_history"] = 0.0
        return _weighted(rng, table)

    def _person(self, rng: random.Random, lang: Lang) -> tuple[str, str]:
        first = _pick(rng, world.FIRST_NAMES[lang])
        last = _pick(rng, world.LAST_NAMES[lang])
        return first, last

    def _envelope(
        self,
        rng: random.Random,
        case_id: str,
        lang: Lang,
        customer: CustomerView | None,
        stranger: tuple[str, ...] | None,
        wrapper: Wrapper,
    ) -> Envelope:
        first, last = self._person(rng, lang)
        local = _ascii(f"{first}.{last}").lower()
        if customer is not None:
            options = [a for a in customer.addresses] + [f"{local}@{d}" for d in customer.domains]
            address = _pick(rng, options) if options else f"{local}@mail.example"
        else:
            assert stranger is not None
            address = f"{local}@{stranger[1]}"
        day = date(2026, 9, 1) + timedelta(days=rng.randrange(80))
        offset = timezone(timedelta(hours=-5 if lang == "en" else 1))
        sent = datetime(
            day.year,
            day.month,
            day.day,
            7 + rng.randrange(10),
            rng.randrange(60),
            rng.randrange(60),
            tzinfo=offset,
        )
        envelope = Envelope(
            sender_name=f"{first} {last}",
            sender_address=address,
            to_address=world.SELLER_INBOX,
            subject="",
            sent_at=sent,
            message_id=f"<{case_id}.{rng.randrange(10**8):08d}@{address.split('@')[1]}>",
            sender_known=self.catalog.sender_known(address),
        )
        if wrapper.startswith("forward"):
            if rng.random() < 0.5 or customer is None or not customer.domains:
                envelope.forwarder = _pick(rng, world.INTERNAL_REPS)
                envelope.forwarder_internal = True
            else:
                f2, l2 = self._person(rng, lang)
                envelope.forwarder = (
                    f"{f2} {l2}",
                    f"{_ascii(f2 + '.' + l2).lower()}@{customer.domains[0]}",
                )
        return envelope

    def _order(
        self,
        rng: random.Random,
        kind: Kind,
        channel: Channel,
        layout: str,
        style: Style,
        envelope: Envelope,
        customer: CustomerView | None,
        stranger: tuple[str, ...] | None,
        issues: set[str],
    ) -> Order:
        family = _family(channel, layout)
        company = self._company_name(rng, customer, stranger, channel)
        currency = (
            customer.record.currency.upper()
            if customer
            else ("USD" if stranger and stranger[6] == "US" else "EUR")
        )
        order_day = envelope.sent_at.date() - timedelta(days=rng.randrange(3))
        documentish = family in ("pdf", "xlsx", "csv", "html", "text_table")
        printed_date = rng.random() < (0.92 if documentish else 0.3)
        if not date_unambiguous(order_day, style.date_style):
            order_day = order_day.replace(day=13 + rng.randrange(15))
            order_day = min(order_day, envelope.sent_at.date())
            if not date_unambiguous(order_day, style.date_style):
                order_day = envelope.sent_at.date().replace(day=13)
        delivery = None
        if rng.random() < 0.42:
            delivery = order_day + timedelta(days=_pick(rng, (7, 10, 16, 21, 28, 30, 35, 45)))
            while not date_unambiguous(delivery, style.date_style):
                delivery += timedelta(days=1)
        n_lines = (
            rng.randint(28, 40)
            if layout == "multipage"
            else _pick(rng, (1, 1, 2, 2, 3, 3, 4, 5, 6, 8))
        )
        if family == "prose":
            n_lines = min(n_lines, 4)
        priced = rng.random() < PRICED_SHARE[family]
        lines = self._lines(
            rng, n_lines, customer, currency, order_day, style, family, priced, issues
        )
        order = Order(
            customer_name=company,
            po_number=self._po_number(rng, customer, family),
            order_date=order_day if printed_date else None,
            delivery_date=delivery,
            currency=None,
            ship_to=self._ship_to(rng, customer, stranger, issues, family),
            bill_to=None,
            lines=lines,
            buyer=envelope.sender_name,
            buyer_email=envelope.sender_address,
            buyer_phone=f"({rng.randint(201, 989)}) 555-{rng.randint(100, 9999):04d}",
        )
        if family == "pdf" and company and rng.random() < 0.5:
            order.bill_to = Address(
                company,
                _pick(rng, world.STREETS_BILL),
                "Springfield",
                "IL",
                "62701",
                "US" if style.country_printed else None,
                "US",
            )
        if order.ship_to is not None and not style.country_printed:
            order.ship_to = replace(order.ship_to, country=None)
        money_printed = priced and style.money_where != "none"
        currency_label = priced and style.money_where == "none" and family == "pdf"
        if money_printed or (currency_label and rng.random() < 0.5):
            order.currency = currency
        if (
            priced
            and order.subtotal is not None
            and (
                rng.random() < {"pdf": 0.85, "xlsx": 0.6, "html": 0.6}.get(family, 0.35)
                or "total_mismatch" in issues
            )
        ):
            self._totals(rng, order, style, issues)
        if kind == "amendment":
            order.total = order.tax = order.freight = None
        return order

    def _company_name(
        self,
        rng: random.Random,
        customer: CustomerView | None,
        stranger: tuple[str, ...] | None,
        channel: Channel,
    ) -> str | None:
        if channel in ("eml_plain", "eml_csv", "txt") and rng.random() < 0.15:
            return None
        if stranger is not None:
            return stranger[0]
        assert customer is not None
        aliases = [a.strip() for a in customer.record.aliases.split("|") if a.strip()]
        if aliases and rng.random() < 0.2:
            return _pick(rng, aliases)
        return customer.record.name

    def _po_number(
        self, rng: random.Random, customer: CustomerView | None, family: str
    ) -> str | None:
        if family == "prose" and rng.random() < 0.25:
            return None
        pattern = rng.randrange(6)
        if pattern == 0:
            return f"PO-{rng.randint(10000, 99999)}"
        if pattern == 1:
            return f"4500{rng.randint(100000, 999999)}"
        if pattern == 2:
            prefix = (customer.customer_id[-2:] if customer else "X") + "".join(
                rng.choice("ABCDEFGHJKMNPRSTUVWXYZ") for _ in range(2)
            )
            return f"{prefix}-{rng.randint(1000, 99999)}"
        if pattern == 3:
            return f"{rng.randint(24, 26)}{rng.randint(1, 12):02d}-{rng.randint(1, 999):03d}"
        if pattern == 4:
            return str(rng.randint(100000, 9999999))
        return f"PO{rng.randint(2026000, 2026999)}/{rng.randint(1, 9)}"

    def _ship_to(
        self,
        rng: random.Random,
        customer: CustomerView | None,
        stranger: tuple[str, ...] | None,
        issues: set[str],
        family: str,
    ) -> Address | None:
        if "new_ship_to" in issues and customer is not None:
            home = customer.ship_tos[0].country.upper() if customer.ship_tos else "US"
            street, city, region, postal, country = _pick(
                rng, world.NEW_SITES.get(home, world.NEW_SITES["US"])
            )
            name = f"{customer.record.name.split()[0]} {_pick(rng, world.SITE_NAMES)}"
            return Address(name, street, city, region or None, postal, country, country)
        if rng.random() < (0.35 if family == "prose" else 0.3):
            return None
        if stranger is not None:
            return Address(
                stranger[0],
                stranger[2],
                stranger[3],
                stranger[4] or None,
                stranger[5],
                stranger[6],
                stranger[6],
            )
        assert customer is not None
        if not customer.ship_tos:
            return None
        site = _pick(rng, customer.ship_tos)
        return Address(
            site.name,
            site.street,
            site.city,
            site.region or None,
            site.postal_code,
            site.country.upper(),
            site.country.upper(),
        )

    # ---- lines -----------------------------------------------------------------------------

    def _products(self, rng: random.Random, n: int, issues: set[str]) -> list[Product | None]:
        ordinary = [
            p for p in self.catalog.products.values() if not p.discontinued and not p.hazmat_class
        ]
        pool = list(ordinary) if len(ordinary) >= 3 else list(self.catalog.products.values())
        rng.shuffle(pool)
        chosen: list[Product | None] = list(pool[: min(n, len(pool))])
        while len(chosen) < n:
            chosen.append(_pick(rng, pool))
        if rng.random() < 0.08:  # an occasional hazmat item, which keeps the route in review
            hazmat = [p for p in self.catalog.products.values() if p.hazmat_class]
            if hazmat:
                chosen[rng.randrange(n)] = _pick(rng, hazmat)
        if "discontinued_item" in issues:
            gone = [p for p in self.catalog.products.values() if p.discontinued]
            if gone:
                chosen[rng.randrange(n)] = _pick(rng, gone)
        if "unknown_item" in issues:
            chosen[rng.randrange(n)] = None
        if "high_value" in issues:
            dear = sorted(self.catalog.products.values(), key=lambda p: (-p.list_price, p.sku))
            chosen[0] = _pick(rng, [p for p in dear if not p.discontinued][:5])
        return chosen

    def _lines(
        self,
        rng: random.Random,
        n: int,
        customer: CustomerView | None,
        currency: str,
        on: date,
        style: Style,
        family: str,
        priced: bool,
        issues: set[str],
    ) -> list[OrderLine]:
        budget = Decimal(rng.choice((600, 1500, 3000))) / n
        lines: list[OrderLine] = []
        for position, product in enumerate(self._products(rng, n, issues)):
            if product is None:
                lines.append(self._foreign_line(rng, style, priced))
                continue
            line = self._product_line(rng, product, customer, style, family, budget)
            if position == 0 and "high_value" in issues:
                line = self._scale_to_high_value(product, line, currency)
            if priced:
                line.unit_price = self._stated_price(product, line, customer, currency, on)
            lines.append(line)
        if priced and "price_mismatch" in issues:
            victims = [ln for ln in lines if ln.sku and ln.unit_price]
            if victims:
                victim = _pick(rng, victims)
                cut = Decimal(_pick(rng, ("0.55", "0.65", "0.7")))
                assert victim.unit_price is not None
                victim.unit_price = max(CENT, _money(victim.unit_price * cut))
        return lines

    def _foreign_line(self, rng: random.Random, style: Style, priced: bool) -> OrderLine:
        desc, prefix = _pick(rng, world.FOREIGN_ITEMS)
        qty = _pick(rng, (2, 4, 5, 10, 12, 20))
        uom = _pick(rng, UNIT_WORDS[style.lang]["EA"])
        price = Decimal(rng.randint(300, 9000)) / 100 if priced else None
        return OrderLine(
            sku=None,
            code=f"{prefix}-{rng.randint(1000, 9999)}",
            supplier_code=None,
            description=desc,
            quantity=qty,
            uom=uom,
            unit_price=price,
            uom_code="EA",
        )

    def _product_line(
        self,
        rng: random.Random,
        product: Product,
        customer: CustomerView | None,
        style: Style,
        family: str,
        budget: Decimal,
    ) -> OrderLine:
        xref = customer.item_codes.get(product.sku) if customer else None
        roll = rng.random()
        code: str | None
        supplier: str | None = None
        if xref and roll < 0.55:
            code = xref
            if family in ("pdf", "xlsx") and rng.random() < 0.35:
                supplier = product.sku
        elif roll < 0.95 or family == "csv":
            code = product.sku
        else:
            code = None
        uom_code, uom_text = self._unit(rng, product, style)
        factor = self.catalog.base_units(product.sku, uom_code) or Decimal(1)
        unit_value = product.list_price * factor
        steps: tuple[int, ...] = NICE_QUANTITIES
        if uom_code == product.base_uom.upper() and product.pack_multiple > 1:
            steps = tuple(product.pack_multiple * k for k in (1, 2, 3, 4, 5, 6, 8, 10, 20))
        affordable = [q for q in steps if q * unit_value <= budget] or [steps[0]]
        qty = _pick(rng, affordable[-7:-2] or affordable)
        description = product.description
        if rng.random() < 0.12:
            description = description.upper() if family in ("xlsx", "csv") else description.lower()
        words = family == "prose" and quantity_in_words(qty, style.lang) is not None
        return OrderLine(
            sku=product.sku,
            code=code,
            supplier_code=supplier,
            description=description,
            quantity=qty,
            uom=uom_text,
            unit_price=None,
            uom_code=uom_code,
            code_is_cross_ref=code is not None and code == xref,
            quantity_in_words=words and rng.random() < 0.4,
        )

    def _unit(self, rng: random.Random, product: Product, style: Style) -> tuple[str, str | None]:
        """The master-data unit a line is ordered in and how the document writes it."""
        base = product.base_uom.upper()
        packs = sorted(self.catalog.conversions.get(product.sku, {}).items())
        roll = rng.random()
        if packs and roll < 0.3:
            code, factor = _pick(rng, packs)
            if style.lang == "en" and rng.random() < 0.2:
                noun = "box" if code == "BX" else "case" if code == "CS" else "pack"
                return code, f"{noun} of {int(factor)}"
            words = UNIT_WORDS[style.lang].get(code, (code,))
            return code, code if rng.random() < 0.5 else _pick(rng, words)
        if roll < 0.55:
            return base, None
        words = UNIT_WORDS[style.lang].get(base, (base,))
        return base, base if rng.random() < 0.4 else _pick(rng, words)

    def _scale_to_high_value(self, product: Product, line: OrderLine, currency: str) -> OrderLine:
        factor = self.catalog.base_units(product.sku, _uom_code_of(self.catalog, line)) or 1
        unit = product.list_price * Decimal(factor)
        target = Decimal(16000)
        base_target = self.catalog.from_base(target, currency) or target
        qty = int((base_target / unit).to_integral_value(rounding="ROUND_CEILING")) + 1
        pack = product.pack_multiple if factor == 1 else 1
        qty = -(-qty // pack) * pack
        return replace(line, quantity=qty, quantity_in_words=False)

    def _stated_price(
        self,
        product: Product,
        line: OrderLine,
        customer: CustomerView | None,
        currency: str,
        on: date,
    ) -> Decimal:
        """The price a buyer would print: the lowest price any policy could give, per unit."""
        factor = self.catalog.base_units(product.sku, _uom_code_of(self.catalog, line)) or 1
        base_qty = Decimal(line.quantity) * Decimal(factor)
        candidates = self.catalog.candidate_prices(
            customer.customer_id if customer else None, product.sku, on, base_qty
        )
        converted = [self._convert(price, cur, currency) for price, cur in sorted(candidates)]
        return max(CENT, _price(min(converted) * Decimal(factor)))

    def _convert(self, amount: Decimal, source: str, target: str) -> Decimal:
        if source == target:
            return amount
        base = self.catalog.to_base(amount, source)
        out = self.catalog.from_base(base, target) if base is not None else None
        return out if out is not None else amount

    def _totals(self, rng: random.Random, order: Order, style: Style, issues: set[str]) -> None:
        subtotal = order.subtotal
        assert subtotal is not None
        if rng.random() < 0.3:
            order.tax = _money(subtotal * TAX_RATES[style.lang])
        if rng.random() < 0.22:
            order.freight = Decimal(rng.randint(1500, 12000)) / 100
        total = subtotal + (order.tax or 0) + (order.freight or 0)
        if "total_mismatch" in issues:
            slip = max(Decimal(10), _money(total * Decimal(_pick(rng, ("0.08", "0.12", "0.2")))))
            total = total + slip if rng.random() < 0.6 else max(CENT, total - slip)
        order.total = _money(total)

    # ---- amendments ------------------------------------------------------------------------

    def _amend(
        self,
        rng: random.Random,
        original: Order,
        style: Style,
        customer: CustomerView | None,
        channel: Channel,
    ) -> tuple[Amendment, Order]:
        lines = [replace(ln) for ln in original.lines]
        lang = style.lang
        how: AmendHow = "reply_quote" if channel == "eml_plain" else _pick(rng, AMEND_HOWS[1:])
        po = original.po_number or "-"
        choice = rng.random()
        if choice < 0.2 and len(lines) >= 2:
            k = rng.randrange(len(lines))
            text = _pick(rng, phrasing.CHANGE_DROP[lang]).format(
                po=po, line=k + 1, desc=lines[k].description
            )
            del lines[k]
        elif choice < 0.4 and customer is not None:
            extra = _pick(
                rng,
                [
                    p
                    for p in self.catalog.products.values()
                    if not p.discontinued and not p.hazmat_class
                ],
            )
            qty = _pick(rng, (2, 5, 10, 12, 20))
            uom = _pick(rng, UNIT_WORDS[lang]["EA"])
            text = _pick(rng, phrasing.CHANGE_ADD[lang]).format(
                po=po, qty=qty, uom=uom, code=extra.sku, desc=extra.description
            )
            price = None  # the instruction states no price
            lines.append(
                OrderLine(
                    sku=extra.sku,
                    code=extra.sku,
                    supplier_code=None,
                    description=extra.description,
                    quantity=qty,
                    uom=uom,
                    unit_price=price,
                    uom_code=extra.base_uom.upper(),
                )
            )
        else:
            k = rng.randrange(len(lines)) if len(lines) < 2 else 1
            old = lines[k].quantity
            new = old + _pick(rng, (5, 10, 20, 30)) if rng.random() < 0.6 else max(1, old // 2)
            if new == old:
                new = old + 1
            text = _pick(rng, phrasing.CHANGE_QTY[lang]).format(po=po, line=k + 1, qty=new, old=old)
            lines[k] = replace(lines[k], quantity=new, quantity_in_words=False)
        amended = replace(original, lines=lines)
        return Amendment(original=original, instruction=text, how=how), amended

    # ---- non-orders ------------------------------------------------------------------------

    def _plan_non_order(self, rng: random.Random, case_id: str) -> CasePlan:
        known = rng.random() < 0.6
        customer = _pick(rng, self.catalog.customers) if known else None
        stranger = None if known else _pick(rng, world.STRANGERS)
        lang: Lang = "en" if rng.random() < 0.8 else _pick(rng, ("de", "fr", "es"))
        style = self._style(rng, lang)
        envelope = self._envelope(rng, case_id, lang, customer, stranger, "none")
        what = _pick(
            rng,
            (
                "newsletter",
                "shipping_notice",
                "invoice_question",
                "quote_request",
                "delivery_status",
                "statement",
                "out_of_office",
                "remittance",
            ),
        )
        channel: Channel = (
            "eml_html"
            if what == "newsletter"
            else "eml_pdf"
            if what == "statement"
            else "eml_plain"
        )
        plan = CasePlan(
            case_id=case_id,
            kind="non_order",
            channel=channel,
            layout=what,
            wrapper="none",
            style=style,
            envelope=envelope,
            order=None,
            customer_id=customer.customer_id if customer else None,
            non_order_kind=what,
        )
        plan.attachment_name = "statement.pdf" if what == "statement" else ""
        plan.features = ["non_order", what]
        return plan

    # ---- naming and tags -------------------------------------------------------------------

    def _attachment_name(self, rng: random.Random, plan: CasePlan) -> str:
        order = plan.order
        assert order is not None
        stem = _pick(
            rng,
            ("PO_{po}", "PurchaseOrder-{po}", "{po}", "order_{po}", "Bestellung_{po}", "scan0001"),
        )
        stem = stem.format(po=(order.po_number or "new").replace("/", "-"))
        if plan.injection == "file_name":
            stem = f"{stem}_{_pick(rng, phrasing.INJECTION_FILE_NAMES)}"
        ext = {
            "eml_pdf": "pdf",
            "loose_pdf": "pdf",
            "eml_xlsx": "xlsx",
            "loose_xlsx": "xlsx",
            "eml_csv": "csv",
            "txt": "txt",
        }.get(plan.channel, "")
        return f"{stem}.{ext}" if ext else ""

    def _features(self, plan: CasePlan, issues: set[str]) -> list[str]:
        order = plan.order
        assert order is not None
        out = set(issues)
        if plan.kind == "amendment":
            out.add("amendment")
        if plan.wrapper != "none":
            out.add(plan.wrapper)
        if plan.injection:
            out.add(f"injection_{plan.injection}")
        if any(ln.quantity_in_words for ln in order.lines):
            out.add("quantity_words")
        if any(ln.code_is_cross_ref for ln in order.lines):
            out.add("customer_item_codes")
        if any(ln.supplier_code for ln in order.lines):
            out.add("both_item_codes")
        if any(ln.code is None for ln in order.lines):
            out.add("description_only")
        if any(ln.uom and " of " in ln.uom for ln in order.lines):
            out.add("pack_unit")
        if order.total is not None:
            out.add("total_stated")
        if order.tax is not None or order.freight is not None:
            out.add("tax_or_freight")
        if order.delivery_date is not None:
            out.add("delivery_date")
        if order.ship_to is None:
            out.add("no_ship_to")
        if order.bill_to is not None:
            out.add("bill_to")
        if plan.style.number_style in ("eu_dot", "eu_space", "swiss"):
            out.add("european_numbers")
        if order.order_date is not None:
            out.add(f"date_{plan.style.date_style}")
        return sorted(out)


def _family(channel: Channel, layout: str) -> str:
    if channel in ("eml_pdf", "loose_pdf"):
        return "pdf"
    if channel in ("eml_xlsx", "loose_xlsx"):
        return "xlsx"
    if channel == "eml_csv":
        return "csv"
    if channel == "eml_html":
        return "html"
    return layout if layout in ("prose", "text_table", "text_list") else "text_table"


def _uom_code_of(catalog: Catalog, line: OrderLine) -> str | None:
    """The master-data unit a line is ordered in (None: the base unit)."""
    del catalog
    return line.uom_code


def _ascii(text: str) -> str:
    table = str.maketrans(
        {
            "ä": "ae",
            "ö": "oe",
            "ü": "ue",
            "ß": "ss",
            "é": "e",
            "è": "e",
            "É": "E",
            "Á": "A",
            "á": "a",
            "í": "i",
            "ó": "o",
            "ú": "u",
            "Ü": "Ue",
            "Ö": "Oe",
            "Ä": "Ae",
            "ç": "c",
            "ñ": "n",
            "ï": "i",
        }
    )
    return text.translate(table)


def country_label(code: str, lang: Lang, rng: random.Random) -> str:
    """How a document prints a country."""
    return _pick(rng, COUNTRY_NAMES[lang].get(code, (code,)))
