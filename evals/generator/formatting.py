"""Format the values of one planned document in its own style."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from evals.generator.language import (
    COUNTRY_NAMES,
    UNIT_WORDS,
    format_date,
    format_money,
    format_number,
    format_quantity,
    quantity_in_words,
)
from evals.generator.model import Address, Order, OrderLine, Style


@dataclass
class Formatter:
    """Writes dates, amounts, quantities and addresses the way one document does."""

    style: Style
    currency: str | None
    rng: random.Random

    def label(self, key: str) -> str:
        return self.style.labels[key]

    def date(self, day: date) -> str:
        return format_date(day, self.style.date_style, self.style.lang, self.style.date_variant)

    def number(self, value: Decimal) -> str:
        places = 2 if value == value.quantize(Decimal("0.01")) else 4
        return format_number(value, self.style.number_style, places)

    def money(self, value: Decimal) -> str:
        """An amount with the currency marked the document's way (or unmarked)."""
        places = 2 if value == value.quantize(Decimal("0.01")) else 4
        text = format_money(value, self.style.number_style, self.currency, self.style.money_where)
        if places == 4:
            plain = format_number(value, self.style.number_style, 4)
            text = text.replace(format_number(value, self.style.number_style, 2), plain)
        return text

    def qty(self, line: OrderLine, words: bool = False) -> str:
        if words and line.quantity_in_words:
            spelled = quantity_in_words(line.quantity, self.style.lang)
            if spelled:
                return spelled
        return format_quantity(line.quantity, self.style.number_style)

    def address(self, address: Address) -> list[str]:
        """Name, street, city line and (when printed) country."""
        if address.country_code in ("US", "CA"):
            region = f" {address.region}" if address.region else ""
            city = f"{address.city},{region} {address.postal_code}"
        else:
            city = f"{address.postal_code} {address.city}"
        out = [address.name, address.street, city]
        if address.country is not None:
            names = COUNTRY_NAMES[self.style.lang].get(address.country, (address.country,))
            out.append(names[self.rng.randrange(len(names))])
        return out

    def currency_note(self) -> str | None:
        """A "Currency: EUR" line for documents that print amounts without a sign."""
        if self.currency is None or self.style.money_where != "none":
            return None
        return f"{self.label('currency')}: {self.currency}"


def formatter_for(order: Order, style: Style, rng: random.Random) -> Formatter:
    """A formatter that marks money only when the order's currency is printed."""
    return Formatter(style=style, currency=order.currency, rng=rng)


def unit_word(code: str, style: Style) -> str:
    """A unit word of the document's language, for sentences written around orders."""
    words = UNIT_WORDS[style.lang].get(code, (code,))
    return words[0]
