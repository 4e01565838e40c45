"""Versioned prompt files (`<name>.v<version>.md`) rendered by name; traces record the version."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from string import Template

PROMPT_DIR = Path(__file__).resolve().parent
_FILE_NAME = re.compile(r"^(?P<name>[a-z0-9_]+)\.v(?P<version>\d+)\.md$")
_FRONT_MATTER = re.compile(r"\A---\n(?P<header>.*?)\n---\n", re.DOTALL)


class PromptNotFound(LookupError):
    """No prompt file carries that name (and version)."""


@dataclass(frozen=True)
class RenderedPrompt:
    name: str
    version: str
    file: str  # path relative to the prompts package, e.g. "extract_po.v1.md"
    text: str


def render(name: str, *, version: int | None = None, **variables: object) -> RenderedPrompt:
    """Render prompt `name` (its highest version unless `version` is given) with `$variables`."""
    path = _find(name, version)
    header, body = _split_front_matter(path.read_text(encoding="utf-8"))
    if header.get("name", name) != name:
        raise PromptNotFound(f"{path.name} declares name {header.get('name')!r}, not {name!r}")
    declared = header.get("version") or path.name.split(".v")[-1].removesuffix(".md")
    text = Template(body).substitute({k: str(v) for k, v in variables.items()})
    return RenderedPrompt(name=name, version=str(declared), file=path.name, text=text.strip())


def available(name: str) -> list[int]:
    """Versions on disk for prompt `name`, ascending."""
    versions = []
    for path in PROMPT_DIR.glob(f"{name}.v*.md"):
        match = _FILE_NAME.match(path.name)
        if match and match["name"] == name:
            versions.append(int(match["version"]))
    return sorted(versions)


def _find(name: str, version: int | None) -> Path:
    versions = available(name)
    if not versions:
        raise PromptNotFound(f"no prompt named {name!r} in {PROMPT_DIR}")
    chosen = versions[-1] if version is None else version
    if chosen not in versions:
        raise PromptNotFound(f"prompt {name!r} has no version {chosen} (has {versions})")
    return PROMPT_DIR / f"{name}.v{chosen}.md"


def _split_front_matter(raw: str) -> tuple[dict[str, str], str]:
    match = _FRONT_MATTER.match(raw)
    if match is None:
        return {}, raw
    header = {}
    for line in match["header"].splitlines():
        key, sep, value = line.partition(":")
        if sep:
            header[key.strip()] = value.strip()
    return header, raw[match.end() :]
