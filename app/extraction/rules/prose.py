"""Line items written as sentences or lists: '12 x Widget', 'we need 5 cases of ...', 'Qty: 3'."""

from __future__ import annotations

import re
from decimal import Decimal

from app.extraction.rules.item_line import read_item_line
from app.extraction.rules.layout import Layout, Line, Token, spaced_text
from app.extraction.rules.lines_model import DraftLine
from app.extraction.rules.numbers import (
    NUMBER_WORDS,
    has_non_ascii_digits,
    number_from_words,
    parse_number,
)
from app.extraction.rules.vocabulary import UNIT_WORDS

_WORD_NUMBER = "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))
_NUM = (
    rf"(?P<qty>\d[\d.,]*|[٠-٩۰-۹０-９]+|(?:a dozen|{_WORD_NUMBER})"
    r"(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine|dozen|hundred))?)"
)
_LEAD = (
    r"(?:(?:please|pls|kindly)\s+(?:send|ship|supply|deliver|order|provide|book|add|"
    r"quote and ship)(?:\s+(?:us|me))?\s*:?\s*|(?:we|i)\s*(?:'d| would| will)?\s*"
    r"(?:also\s+|still\s+|urgently\s+)?(?:need|want|"
    r"like|require|order|like to order|would like to order|need to order)\s*(?:to order)?\s*:?"
    r"\s*|(?:bitte\s+(?:liefern|senden)\s*(?:sie)?\s*:?\s*|wir\s+(?:brauchen|benötigen|"
    r"bestellen)\s*:?\s*|merci\s+de\s+(?:livrer|nous\s+envoyer)\s*:?\s*|nous\s+(?:avons\s+"
    r"besoin\s+de|commandons)\s*:?\s*|necesitamos\s*:?\s*|por\s+favor\s+(?:enviar|envíen)\s*"
    r":?\s*)|(?:order|add|also|and|plus)\s*:?\s*)"
)
QTY_FIRST = re.compile(
    rf"^(?P<lead>{_LEAD})?{_NUM}\s*(?P<x>[x×*]\s*|(?P<unit>{UNIT_WORDS}(?:\s+of\s+\d+)?)\b\.?\s*"
    rf"(?:of\s+|de\s+|x\s+)?|(?=\s))(?P<rest>.+)$",
    re.IGNORECASE,
)
QTY_AFTER = re.compile(
    r"^(?P<rest>.+?)\s*[-–:,;(]?\s*\b(?:qty|quantity|menge|anzahl|qté|quantité|cantidad)\.?\s*"
    rf"[:=]?\s*{_NUM}\s*(?P<unit>{UNIT_WORDS}(?:\s+of\s+\d+)?)?\b\.?\)?(?P<tail>.*)$",
    re.IGNORECASE,
)
TIMES_AFTER = re.compile(
    rf"^(?P<rest>.+?)\s+[x×]\s*{_NUM}\s*(?P<unit>{UNIT_WORDS})?\b(?P<tail>.*)$", re.IGNORECASE
)
_BULLET = re.compile(r"^\s*(?:[-*•·▪–]|\d{1,2}[.)](?=\s))\s*")
_CODE_LABELLED = re.compile(
    r"(?i)[(\[,]?\s*\b(?:sku|item\s*(?:#|no\.?|code)?|part\s*(?:#|no\.?|number)?|p/n|art\.?-?nr\.?|"
    r"artikel(?:nummer|nr\.?)?|réf\.?|ref\.?|référence|code|c[óo]digo|cód\.?|art[íi]culo|"
    r"cat\.?\s*no\.?)\s*[:#]?\s*"
    r"(?P<code>[A-Za-z0-9][\w\-./\u200b-\u200d\u2060\ufeff]*\d[\w\-./\u200b-\u200d\u2060\ufeff]*)"
    r"\s*[)\]]?"
)
_CODE_BARE = re.compile(
    r"(?<![\w$€£])(?P<code>(?=[\w\-./]*\d)(?=[\w\-./]*[A-Za-z])[A-Za-z0-9]+"
    r"(?:[-./][A-Za-z0-9]+)+|[A-Z]{1,4}\d{3,}[A-Z0-9]*)(?![\w])"
)
_PRICE = re.compile(
    r"(?i)(?:@|\bat\b|\bà\b|\bfor\b|\bzu(?:m| je)?\b|\ba\b|\bunit\s*price\s*:?|\bprice\s*:?|"
    r"\bpreis\s*:?|\bprix\s*:?|\bprecio\s*:?)?\s*(?P<cur1>US\$|[$€£])?\s*(?P<price>\d[\d.,]*\d|\d)"
    r"(?:\s*(?P<cur2>€|EUR|USD|GBP|\$))?(?:\s*/\s*(?:ea|each|unit|pc|pcs|stk|stück|box|case|cs)|"
    r"\s+(?:each|ea|per\s+\w+|apiece|pro\s+stück|l'unit[ée]|la\s+pi[èe]ce|c/u|cada\s+uno)\b)?"
)
_NOT_ITEM = re.compile(
    r"(?i)^(?:days?|weeks?|months?|years?|hours?|business days|working days|"
    r"am|pm|o'clock|%|percent)\b"
)
_DATE_START = re.compile(
    r"(?i)^\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|januar|"
    r"februar|märz|mai|juni|juli|okt|dez|janvier|février|mars|avril|juin|"
    r"juillet|août|septembre|octobre|novembre|décembre|[/.]\d)"
)


def _quantity(text: str, draft: DraftLine, decimal_comma: bool | None) -> Decimal | None:
    if has_non_ascii_digits(text):
        draft.warnings.append("non_ascii_digits")
        return None
    if text[0].isdigit():
        return parse_number(text, decimal_comma=decimal_comma)
    return number_from_words(text)


def _price(rest: str, decimal_comma: bool | None) -> tuple[Decimal | None, str]:
    """A unit price written with a currency mark or 'each'/'@', and the text without it."""
    for m in _PRICE.finditer(rest):
        whole = m.group(0)
        marked = (
            m.group("cur1")
            or m.group("cur2")
            or re.search(
                r"(?i)@|\beach\b|/|\bper\b|"
                r"price|preis|prix|precio",
                whole,
            )
        )
        if not marked:
            continue
        value = parse_number(m.group("price"), decimal_comma=decimal_comma)
        if value is not None:
            return value, (rest[: m.start()] + " " + rest[m.end() :]).strip()
    return None, rest


def _code(rest: str) -> tuple[str | None, str]:
    for pattern in (_CODE_LABELLED, _CODE_BARE):
        m = pattern.search(rest)
        if m:
            return m.group("code").rstrip(".,"), (rest[: m.start()] + " " + rest[m.end() :]).strip()
    return None, rest


def _clean_description(text: str) -> str | None:
    text = re.sub(r"\(\s*\)|\[\s*\]|\([^)]*$", " ", text)
    text = re.sub(r"(?i)^(?:of|de|du|des|von|x)\s+", "", text.strip())
    text = re.sub(r"\s+", " ", text).strip(" ,;:-–")
    text = re.sub(
        r"(?i)\s*(?:,?\s*please|,?\s*thanks?|,?\s*thank you|each|\bea\b|/ea)\.?$", "", text
    )
    return text.strip(" ,;:-–.") or None


def read_prose_line(text: str, decimal_comma: bool | None) -> DraftLine | None:
    """One ordered item from a sentence or list entry, or None when the line orders nothing."""
    body = _BULLET.sub("", text).strip()
    m = QTY_FIRST.match(body)
    if m and not _plausible_qty_first(m):
        m = None
    m = m or QTY_AFTER.match(body) or TIMES_AFTER.match(body)
    if m is None:
        return None
    draft = DraftLine(base_confidence=0.6)
    draft.quantity = _quantity(m.group("qty"), draft, decimal_comma)
    if draft.quantity is None and not draft.warnings:
        return None
    unit = m.groupdict().get("unit")
    draft.uom = unit.strip() if unit else None
    rest = f"{m.group('rest')} {m.groupdict().get('tail') or ''}"
    draft.unit_price, rest = _price(rest, decimal_comma)
    draft.code, rest = _code(rest)
    description = _clean_description(rest)
    if description:
        draft.description.append(description)
    if draft.code is None and description is None:
        return None
    return draft


def _plausible_qty_first(m: re.Match[str]) -> bool:
    """A leading number is a quantity only with an 'x', a unit, an order phrase or a code."""
    rest = m.group("rest")
    if _NOT_ITEM.match(rest) or _DATE_START.match(rest):
        return False
    if (m.group("x") and m.group("x").strip()) or m.group("unit") or m.group("lead"):
        return True
    return bool(_CODE_BARE.search(rest) or _CODE_LABELLED.search(rest) or "@" in rest)


_KV = re.compile(
    r"^\s*(?:[-*•]\s*)?(?P<label>[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ .#/-]{0,30}?)\s*[:=]\s*"
    r"(?P<value>.+)$"
)
_KV_ROLES = {
    "code": "code",
    "item": "code",
    "description": "description",
    "quantity": "quantity",
    "uom": "uom",
    "price": "price",
}


def _kv_draft(fields: dict[str, str], decimal_comma: bool | None) -> DraftLine | None:
    """An item from labelled fields ('Item: X', 'Qty: 3', 'Price: 4.50')."""
    if "quantity" not in fields or not ({"code", "description"} & fields.keys()):
        return None
    draft = DraftLine(base_confidence=0.7)
    qty_text = fields["quantity"].split()[0]
    draft.quantity = _quantity(qty_text, draft, decimal_comma)
    if draft.quantity is None and not draft.warnings:
        return None
    rest_of_qty = fields["quantity"].split()[1:]
    draft.uom = fields.get("uom") or (" ".join(rest_of_qty) if rest_of_qty else None)
    draft.code = fields.get("code")
    if fields.get("description"):
        draft.description.append(fields["description"])
    if fields.get("price"):
        draft.unit_price = parse_number(
            fields["price"].split()[0]
            if fields["price"].split()[0] not in "$€£"
            else fields["price"],
            decimal_comma=decimal_comma,
        )
    return draft


def read_kv_blocks(
    layout: Layout, skip: set[int], decimal_comma: bool | None
) -> list[tuple[DraftLine, Line]]:
    """Items written as blocks of 'Label: value' lines."""
    from app.extraction.rules.vocabulary import role_of

    out: list[tuple[DraftLine, Line]] = []
    fields: dict[str, str] = {}
    first: Line | None = None

    def flush() -> None:
        draft = _kv_draft(fields, decimal_comma) if first is not None else None
        if draft is not None and first is not None:
            _attach_tokens(draft, first)
            out.append((draft, first))
        fields.clear()

    for line in layout.lines:
        m = _KV.match(line.text) if line.index not in skip else None
        role = _KV_ROLES.get(str(role_of(m.group("label")))) if m else None
        if m is None or role is None or role in fields:
            flush()
            first = None
        if m is not None and role is not None:
            first = first or line
            fields[role] = m.group("value").strip()
    flush()
    return out


_CLAUSE_SPLIT = re.compile(
    r"(?i)(?<!\d)[.;:!?](?=\s|$)|,\s+(?=(?:and\s+)?(?:\d|an?\s))|"
    r"\s+(?:and|plus|as well as|y|und|sowie|et|e)\s+"
)
_ORDER_LEAD = re.compile(
    r"(?i)\b(?:send|ship|supply|deliver|order|need|want|require|would like|add|book|"
    r"pedimos|necesitamos|enviar|env[íi]en|brauchen|ben[öo]tigen|bestellen|liefern|"
    r"commandons|besoin|envoyer|livrer)\b"
)
_ARTICLE = re.compile(r"(?i)^(?:the|of the|die|der|den|les|des|los|las)\s+")


def _clause_item(clause: str, decimal_comma: bool | None, lead: bool) -> DraftLine | None:
    """The item a clause orders, read from its first quantity word or number."""
    for m in re.finditer(r"\S+", clause):
        word = m.group().casefold().strip("(")
        if not (word[:1].isdigit() or word in NUMBER_WORDS) or (word in {"a", "an"} and not lead):
            continue
        draft = read_prose_line(clause[m.start() :], decimal_comma)
        if draft is not None and (draft.code or lead):
            draft.description = [_ARTICLE.sub("", d) for d in draft.description]
            return draft
    return None


def read_clauses(text: str, decimal_comma: bool | None) -> list[DraftLine]:
    """Items ordered inside a sentence ('please send 4 x AB-12 Lamp and six CD-34 gloves')."""
    lead = bool(_ORDER_LEAD.search(text))
    drafts = []
    for clause in _CLAUSE_SPLIT.split(text):
        draft = _clause_item(clause.strip(), decimal_comma, lead) if clause.strip() else None
        if draft is not None:
            drafts.append(draft)
    return drafts


def read_prose(
    layout: Layout, skip: set[int], decimal_comma: bool | None
) -> list[tuple[DraftLine, Line]]:
    """Items of every line that reads as an item line or an order sentence ('Label: value'
    lines only when the value itself orders something)."""
    out: list[tuple[DraftLine, Line]] = []
    for line in layout.lines:
        labelled = _KV.match(line.text)
        if line.index in skip or (labelled and not QTY_FIRST.match(labelled.group("value"))):
            if line.index not in skip and labelled:
                out += [(d, line) for d in read_clauses(line.text, decimal_comma)]
            continue
        draft = read_item_line(spaced_text(line, layout.char_width), decimal_comma)
        draft = draft or read_prose_line(line.text, decimal_comma)
        drafts = [draft] if draft is not None else read_clauses(line.text, decimal_comma)
        for found in drafts:
            _attach_tokens(found, line)
            out.append((found, line))
    return out


def _attach_tokens(draft: DraftLine, line: Line) -> None:
    tokens: list[Token] = line.tokens
    draft.description_tokens = tokens
    draft.quantity_tokens = tokens
    draft.code_tokens = [t for t in tokens if draft.code and draft.code in t.text][:1] or tokens
    draft.price_tokens = tokens
