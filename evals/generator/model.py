"""The planned content of one case: the order as the document states it, how it is written,
and how it travels. Renderers only read these; the gold answer is computed from them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from evals.generator.language import DateStyle, Lang, NumberStyle

Channel = Literal[
    "eml_plain", "eml_html", "eml_pdf", "eml_xlsx", "eml_csv", "loose_pdf", "loose_xlsx", "txt"
]
Kind = Literal["order", "amendment", "non_order"]
Wrapper = Literal["none", "forward_inline", "forward_attached", "reply_history"]
Injection = Literal[
    "body_text", "html_comment", "pdf_hidden_white", "pdf_tiny", "file_name", "sheet_cell"
]
MoneyWhere = Literal["sign_before", "sign_after", "code_before", "code_after", "none"]

CHANNELS: tuple[Channel, ...] = (
    "eml_plain",
    "eml_html",
    "eml_pdf",
    "eml_xlsx",
    "eml_csv",
    "loose_pdf",
    "loose_xlsx",
    "txt",
)


@dataclass(frozen=True)
class Address:
    """A postal address; `region` and `country` are None when the document leaves them out."""

    name: str
    street: str
    city: str
    region: str | None
    postal_code: str
    country: str | None
    country_code: str  # the true country, for routing, even when not printed


@dataclass
class OrderLine:
    """One ordered item as printed, plus the SKU it truly is (None for an item we do not sell)."""

    sku: str | None
    code: str | None  # the item number the document prints for the buyer (gold item code)
    supplier_code: str | None  # our SKU printed in a second column, when the buyer prints both
    description: str
    quantity: int
    uom: str | None
    unit_price: Decimal | None
    uom_code: str | None = None  # the master-data unit behind the written one
    code_is_cross_ref: bool = False
    quantity_in_words: bool = False

    @property
    def amount(self) -> Decimal | None:
        if self.unit_price is None:
            return None
        return (self.unit_price * self.quantity).quantize(Decimal("0.01"))


@dataclass
class Order:
    """A purchase order exactly as the document states it."""

    customer_name: str | None
    po_number: str | None
    order_date: date | None
    delivery_date: date | None
    currency: str | None
    ship_to: Address | None
    bill_to: Address | None
    lines: list[OrderLine]
    tax: Decimal | None = None
    freight: Decimal | None = None
    total: Decimal | None = None
    buyer: str = ""
    buyer_email: str = ""
    buyer_phone: str = ""
    terms: str | None = None

    @property
    def subtotal(self) -> Decimal | None:
        amounts = [ln.amount for ln in self.lines]
        if not amounts or any(a is None for a in amounts):
            return None
        return sum((a for a in amounts if a is not None), Decimal(0))


@dataclass
class Style:
    """How one document writes things: language, numbers, dates, labels, currency."""

    lang: Lang
    number_style: NumberStyle
    date_style: DateStyle
    date_variant: int
    money_where: MoneyWhere
    labels: dict[str, str]
    country_printed: bool


@dataclass
class Amendment:
    """A change to an earlier order: the original, the change as written, the amended gold."""

    original: Order
    instruction: str
    how: Literal["reply_quote", "reply_pdf", "revised_pdf"]


@dataclass
class Envelope:
    """The email around the document."""

    sender_name: str
    sender_address: str
    to_address: str
    subject: str
    sent_at: datetime
    message_id: str
    sender_known: bool
    forwarder: tuple[str, str] | None = None  # (name, address) when someone forwards it
    forwarder_internal: bool = False


@dataclass
class CasePlan:
    """Everything needed to render one case and write its gold."""

    case_id: str
    kind: Kind
    channel: Channel
    layout: str
    wrapper: Wrapper
    style: Style
    envelope: Envelope
    order: Order | None  # the gold order (amended, for amendments)
    customer_id: str | None
    injection: Injection | None = None
    injection_text: str = ""
    amendment: Amendment | None = None
    history: Order | None = None  # an older order quoted in a reply, never extracted
    non_order_kind: str | None = None
    attachment_name: str = ""
    features: list[str] = field(default_factory=list)
    blockers: list[str] = field(default_factory=list)  # why the gold route is not auto
    reasons: list[str] = field(default_factory=list)
