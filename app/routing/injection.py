"""Text in a message aimed at an automated system ("ignore previous instructions"), found by rules.

Detection reads a normalised copy of the text (case, accents, zero-width characters, look-alike
letters, letter-spacing); the message itself is never changed. A match only sends the order to a
person: it is evidence, not a verdict.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import BaseModel

from app.documents.model import ParsedDocument, ParsedMessage

# Cyrillic and Greek letters that pass for Latin ones (after case folding).
_HOMOGLYPHS = str.maketrans(
    {
        "а": "a",
        "в": "b",
        "е": "e",
        "ё": "e",
        "к": "k",
        "м": "m",
        "н": "h",
        "о": "o",
        "р": "p",
        "с": "c",
        "т": "t",
        "у": "y",
        "х": "x",
        "і": "i",
        "ї": "i",
        "ј": "j",
        "ѕ": "s",
        "ԁ": "d",
        "ӏ": "l",
        "ɡ": "g",
        "ո": "n",
        "ս": "u",
        "α": "a",
        "β": "b",
        "ε": "e",
        "ι": "i",
        "κ": "k",
        "ν": "v",
        "ο": "o",
        "ρ": "p",
        "τ": "t",
        "υ": "u",
        "χ": "x",
        "γ": "y",
        "ı": "i",
    }
)
_WHITESPACE = re.compile(r"\s+")
_LETTER_SPACED = re.compile(r"(?<![^\W_])(?:[^\W_] ){3,}[^\W_](?![^\W_])")
_NON_WORD = re.compile(r"[\W_]+")


class InjectionMatch(BaseModel):
    """One instruction-like passage: which rule, where, and the normalised text around it."""

    rule: str
    language: str
    source: str  # "subject", "sender_name", or "<document_id>:filename|text|cell <where>"
    snippet: str


@dataclass(frozen=True)
class _Rule:
    name: str
    language: str
    pattern: re.Pattern[str]
    view: str = "words"  # "words": letters and digits only; "compact": no whitespace
    # The pattern without its leading word boundary, which keeps the regex engine from skipping
    # ahead to the letters a match can start with: where it matches is where to try `pattern`.
    scout: re.Pattern[str] | None = None

    def search(self, text: str) -> re.Match[str] | None:
        """`pattern.search(text)`: the first match, found by trying only where `scout` matches."""
        if self.scout is None:
            return self.pattern.search(text)
        start = 0
        while (candidate := self.scout.search(text, start)) is not None:
            found = self.pattern.match(text, candidate.start())
            if found is not None:
                return found
            start = candidate.start() + 1
        return None


def _words(name: str, language: str, regex: str) -> _Rule:
    # A space in a rule matches one space or none, so letter-spaced and run-together text match;
    # "~" is a space that must be there (after a filler word).
    pattern = regex.replace(" ", " ?").replace("~", " ")
    return _Rule(
        name,
        language,
        re.compile(r"\b" + pattern + r"\b"),
        scout=re.compile(pattern + r"\b"),
    )


def _compact(name: str, regex: str) -> _Rule:
    return _Rule(name, "any", re.compile(regex), view="compact")


_PREVIOUS = r"(previous|prior|above|earlier|preceding|foregoing|former|original|system|existing)"
_ORDERS = r"(instructions?|prompts?|rules|directions|directives|guidelines|commands?)"
_AI = (
    r"(ai|llm|gpt|chatgpt|claude|copilot|gemini|chatbot|language model|"
    r"ai (assistant|model|agent|system)|automated (system|agent|assistant|processor|parser))"
)

RULES: tuple[_Rule, ...] = (
    _words(
        "ignore_instructions",
        "en",
        rf"(ignore|disregard|forget|override|bypass) (all |any |the |your |these |of )*"
        rf"{_PREVIOUS} {_ORDERS}",
    ),
    _words("system_prompt", "en", r"((system|developer) (prompt|instructions?)|systemprompt)"),
    _words(
        "reveal_prompt",
        "en",
        r"(reveal|print|show|repeat|output) (me )?your (\w+~)?"
        r"(prompt|instructions)",
    ),
    _words(
        "you_are_now",
        "en",
        r"you are now (a |an |the |in |my )?(\w+~){0,2}"
        r"(assistant|ai|bot|chatbot|model|agent|llm|gpt|dan|jailbroken|"
        r"unrestricted|developer mode|admin mode)",
    ),
    _words(
        "pretend_to_be",
        "en",
        r"(pretend (to be|you are)|act as if you are) (a |an )?"
        r"(\w+~){0,2}(ai|assistant|bot|model|system|admin)",
    ),
    _words(
        "as_an_ai",
        "en",
        r"as an? (ai|artificial intelligence|(large )?language model|llm|"
        r"ai (assistant|model))",
    ),
    _words(
        "addressed_to_ai",
        "en",
        rf"((note|message|instructions?|attention|reminder|notice|important) (to |for )?"
        rf"(the |any |all )?{_AI}|(dear|hey|hello) {_AI}|"
        rf"if you are an? {_AI})",
    ),
    _words(
        "skip_checks",
        "en",
        r"(skip|bypass|disable|ignore|turn off|switch off|override) (all |any |the |every |"
        r"your )*(validations?|checks|verifications?|controls|safeguards|approval steps?|"
        r"fraud checks?|credit checks?|price checks?)",
    ),
    _words(
        "reroute",
        "en",
        r"(route|send|forward|push|release|pass) (it |this |the order |this order |the po )?"
        r"(straight|directly|immediately) (to|into) (fulfil?ment|shipping|dispatch|the "
        r"warehouse|production|approval|processing)",
    ),
    _words(
        "auto_approve",
        "en",
        r"((auto|automatically) approve|approve (this |the )?(order |po "
        r"|purchase order )?(automatically|without (any )?(human |"
        r"manual )?review)|mark (this |the )?(order |po )?as approved)",
    ),
    _words(
        "skip_review",
        "en",
        r"((do not|don t|dont|never) (route|send|forward|flag|escalate|"
        r"pass|submit) (this |the |it )?(order |po )?(to|for) (a |any )?"
        r"(human |manual )?(review|reviewer|approval|human)|(skip|bypass|"
        r"avoid) (the |any )?(human |manual )?review|without (human|"
        r"manual) review)",
    ),
    _words(
        "set_price",
        "en",
        r"(set|override|force) (the |all |every )?(unit |line )?prices? "
        r"(of [\w ]{1,30} )?(to|at)",
    ),
    _words(
        "ignore_instructions",
        "de",
        r"(ignoriere|ignorieren sie|vergiss|vergessen sie|missachte) (alle |die |deine |ihre "
        r"|samtliche )*(vorherigen|bisherigen|vorigen|obigen|fruheren|vorangegangenen) "
        r"(anweisungen|instruktionen|befehle|regeln|anordnungen)",
    ),
    _words(
        "you_are_now",
        "de",
        r"du bist (jetzt|nun|ab sofort) (ein|eine) (\w+~){0,2}"
        r"(assistent|ki|bot|modell|agent|sprachmodell)",
    ),
    _words("as_an_ai", "de", r"als (eine )?(ki|kunstliche intelligenz|sprachmodell)"),
    _words(
        "auto_approve",
        "de",
        r"((genehmige|genehmigen sie) (diese |die )?bestellung "
        r"automatisch|automatisch (genehmigen|freigeben))",
    ),
    _words("set_price", "de", r"(setze|setzen sie) (den |die )?(stuck)?preis(e)? auf"),
    _words(
        "skip_checks",
        "de",
        r"(uberspringe|uberspringen sie|umgehe|umgehen sie|deaktiviere) (alle |die |jede )?"
        r"(prufungen|kontrollen|validierung|freigabe)",
    ),
    _words(
        "skip_review",
        "de",
        r"(nicht (zur|in die|an die) (manuellen |menschlichen )?"
        r"(prufung|uberprufung|freigabe)|ohne (manuelle |menschliche )"
        r"(prufung|uberprufung|freigabe))",
    ),
    _words(
        "ignore_instructions",
        "fr",
        r"(ignore[rz]?|oublie[rz]?) (toutes |tous )?(les |vos )?(instructions|consignes|"
        r"regles) (precedentes|anterieures|ci dessus)",
    ),
    _words(
        "you_are_now",
        "fr",
        r"(tu es|vous etes) (maintenant|desormais) (un|une) (\w+~){0,2}"
        r"(assistant|ia|robot|modele|agent|bot)",
    ),
    _words("as_an_ai", "fr", r"en tant qu ?(ia|intelligence artificielle|modele de langage)"),
    _words(
        "auto_approve",
        "fr",
        r"(approuve[rz]?|valide[rz]?) (cette |la )?commande "
        r"automatiquement",
    ),
    _words("set_price", "fr", r"fixe[rz]? le prix (a|de)"),
    _words(
        "skip_checks",
        "fr",
        r"(ignore[rz]?|saute[rz]?|contourne[rz]?|desactive[rz]?) (toutes |tous )?(les )?"
        r"(verifications|controles|validations)",
    ),
    _words(
        "skip_review",
        "fr",
        r"(ne (pas )?(l )?(envoye[rz]?|transmettre|soumettre) (pas )?"
        r"(a la|en) (revision|verification|validation)|sans "
        r"(revision|verification) humaine)",
    ),
    _words(
        "ignore_instructions",
        "es",
        r"(ignora[rd]?|olvida[rd]?) (todas )?(las )?(instrucciones|indicaciones|reglas) "
        r"(anteriores|previas)",
    ),
    _words("you_are_now", "es", r"ahora eres (un|una) (\w+~){0,2}(asistente|ia|bot|modelo|agente)"),
    _words("as_an_ai", "es", r"como (una )?(ia|inteligencia artificial|modelo de lenguaje)"),
    _words("auto_approve", "es", r"(aprueba|aprobar|apruebe) (este |el )?pedido automaticamente"),
    _words("set_price", "es", r"(establece|establecer|fija|fijar) el precio (en|a)"),
    _words("skip_review", "es", r"no (lo )?(envies|enviar|mandes|mandar) a (la )?revision"),
    _words(
        "skip_checks",
        "es",
        r"(omite|omitir|salta|saltar|ignora|ignorar|desactiva) (todas )?(las )?"
        r"(validaciones|verificaciones|comprobaciones|controles)",
    ),
    _compact(
        "role_tag",
        r"<\|(im_start|im_end|system|assistant|user|endoftext)\|>|\[/?inst\]|"
        r"<</?sys>>|</?(system|assistant)>",
    ),
    _compact(
        "instruction_heading",
        r"(^|\n)#{2,}(instructions?|system|prompt|newtask|"
        r"assistant|response)\b",
    ),
)


class _Invisible(dict[int, int | None]):
    """A str.translate table that drops combining marks and format characters (zero-width,
    bidi) and keeps the rest, filled in as characters are met (up to a bound)."""

    def __missing__(self, code: int) -> int | None:
        ch = chr(code)
        kept = None if unicodedata.combining(ch) or unicodedata.category(ch) == "Cf" else code
        if len(self) < 65536:
            self[code] = kept
        return kept


_INVISIBLE = _Invisible()


def detection_form(text: str) -> str:
    """Text folded for detection: case, accents, invisible and look-alike characters undone."""
    if text.isascii():  # nothing to normalise, fold but case, or drop
        return text.lower()
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_HOMOGLYPHS)
    return unicodedata.normalize("NFKD", folded).translate(_INVISIBLE)


def _views(text: str) -> dict[str, str]:
    form = detection_form(text)
    spaced = _NON_WORD.sub(" ", form).strip()
    words = _LETTER_SPACED.sub(lambda m: m.group().replace(" ", ""), spaced)
    compact = "\n".join(_WHITESPACE.sub("", line) for line in form.splitlines())
    return {"words": words, "compact": compact}


def scan_text(text: str, source: str) -> list[InjectionMatch]:
    """Every rule that matches `text`, once each, with the text around the first match."""
    if not text.strip():
        return []
    views = _views(text)
    out: list[InjectionMatch] = []
    for rule in RULES:
        m = rule.search(views[rule.view])
        if m is not None:
            view = views[rule.view]
            snippet = view[max(0, m.start() - 40) : m.end() + 40].strip()
            out.append(
                InjectionMatch(
                    rule=rule.name, language=rule.language, source=source, snippet=snippet
                )
            )
    return out


def detect_injection(message: ParsedMessage) -> list[InjectionMatch]:
    """Instruction-like text anywhere in the message: subject, names, file names, texts, cells."""
    found = scan_text(message.subject, "subject")
    found += scan_text(message.sender_name or "", "sender_name")
    for doc in message.documents:
        found += _scan_document(doc)
    seen: set[tuple[str, str]] = set()
    unique: list[InjectionMatch] = []
    for match in found:
        key = (match.rule, match.source.split(":", 1)[0])
        if key not in seen:
            seen.add(key)
            unique.append(match)
    return unique


def _scan_document(doc: ParsedDocument) -> list[InjectionMatch]:
    """Every text of the document scanned once: a text met again (a unit, a header repeated
    down a table) would only repeat its first matches here, which detect_injection drops."""
    found: list[InjectionMatch] = []
    scanned: set[str] = set()
    for text, source in _document_texts(doc):
        if text not in scanned:
            scanned.add(text)
            found += scan_text(text, source)
    return found


def _document_texts(doc: ParsedDocument) -> Iterator[tuple[str, str]]:
    yield doc.filename or "", f"{doc.document_id}:filename"
    yield doc.text, f"{doc.document_id}:text"
    for i, hidden in enumerate(doc.hidden_text, start=1):
        yield hidden, f"{doc.document_id}:hidden {i}"
    for table in doc.tables:
        sheet = table.sheet or (f"page {table.page}" if table.page is not None else "table")
        for r, row in enumerate(table.rows, start=1):
            for c, cell in enumerate(row, start=1):
                yield cell, f"{doc.document_id}:cell {sheet}!R{r}C{c}"
