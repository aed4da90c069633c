"""The consent texts shipped in resources/consent/: which versions exist, which one is
current, the text of each document in Chinese and English, and a fingerprint of a
version's texts (the sha256 a consent record carries, so a text changed after the
customer signed is noticed).

``manifest.json``::

    {"format": "loandesk-consent/1", "current": "<version id>",
     "versions": {"<version id>": {"effective_from": "YYYY-MM-DD",
         "documents": [{"kind": "personal_info" | "credit_query",
                        "title": {"zh_CN": ..., "en": ...},
                        "files": {"zh_CN": "<path>", "en": "<path>"}}]}}}

A version, once shipped, is never edited: a new wording is a new version id.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core import i18n
from core.config import resources_dir
from core.errors import CoreError

FORMAT = "loandesk-consent/1"
KINDS = ("personal_info", "credit_query")


class ConsentTextsError(CoreError, RuntimeError):
    """The bundled consent texts are missing or malformed (a packaging bug)."""


@dataclass(frozen=True)
class ConsentDocument:
    kind: str
    title: dict[str, str]  # language -> title
    text: dict[str, str]  # language -> full text (Markdown)


@dataclass(frozen=True)
class ConsentVersion:
    version: str
    effective_from: str
    documents: tuple[ConsentDocument, ...]

    @property
    def sha256(self) -> str:
        """Fingerprint of every document's text in both languages, in manifest order."""
        h = hashlib.sha256()
        for doc in self.documents:
            for lang in i18n.LANGUAGES:
                h.update(f"{doc.kind}\0{lang}\0".encode())
                h.update(doc.text[lang].encode("utf-8"))
                h.update(b"\0")
        return h.hexdigest()

    def document(self, kind: str) -> ConsentDocument:
        for doc in self.documents:
            if doc.kind == kind:
                return doc
        raise KeyError(kind)


@dataclass(frozen=True)
class ConsentTexts:
    current: str
    versions: dict[str, ConsentVersion]

    def get(self, version: str) -> ConsentVersion | None:
        return self.versions.get(version)

    @property
    def current_version(self) -> ConsentVersion:
        return self.versions[self.current]


def _fail(where: str, what: str) -> ConsentTextsError:
    return ConsentTextsError(f"resources/consent/{where}: {what}")


def _read(base: Path, version: str, raw: object) -> ConsentVersion:
    if not isinstance(raw, dict) or not isinstance(raw.get("documents"), list):
        raise _fail("manifest.json", f"version {version!r} needs a documents list")
    docs: list[ConsentDocument] = []
    for item in raw["documents"]:
        kind = item.get("kind") if isinstance(item, dict) else None
        if kind not in KINDS or not isinstance(item, dict):
            raise _fail("manifest.json", f"version {version!r}: unknown document kind {kind!r}")
        files, title = item.get("files"), item.get("title")
        if not isinstance(files, dict) or not isinstance(title, dict):
            raise _fail("manifest.json", f"version {version!r} {kind}: files and title needed")
        text: dict[str, str] = {}
        for lang in i18n.LANGUAGES:
            name = files.get(lang)
            if not isinstance(name, str) or not isinstance(title.get(lang), str):
                raise _fail("manifest.json", f"version {version!r} {kind}: no {lang} text")
            path = (base / name).resolve()
            if base.resolve() not in path.parents:
                raise _fail(name, "outside resources/consent")
            try:
                text[lang] = path.read_text(encoding="utf-8")
            except OSError as exc:
                raise _fail(name, f"unreadable ({type(exc).__name__})") from None
        docs.append(ConsentDocument(kind, {k: str(v) for k, v in title.items()}, text))
    if sorted(d.kind for d in docs) != sorted(KINDS):
        raise _fail("manifest.json", f"version {version!r} must hold each of {KINDS}")
    return ConsentVersion(version, str(raw.get("effective_from", "")), tuple(docs))


def load_texts(base: Path | None = None) -> ConsentTexts:
    """Read and check resources/consent/ (``base`` for tests)."""
    base = base if base is not None else resources_dir() / "consent"
    try:
        doc = json.loads((base / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _fail("manifest.json", f"unreadable ({type(exc).__name__})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise _fail("manifest.json", f"format must be {FORMAT!r}")
    raw_versions = doc.get("versions")
    if not isinstance(raw_versions, dict) or doc.get("current") not in raw_versions:
        raise _fail("manifest.json", "current must name one of versions")
    versions = {str(v): _read(base, str(v), raw) for v, raw in raw_versions.items()}
    return ConsentTexts(str(doc["current"]), versions)


@lru_cache(maxsize=1)
def bundled_texts() -> ConsentTexts:
    """The shipped texts, read once per process."""
    return load_texts()


__all__ = [
    "KINDS",
    "ConsentDocument",
    "ConsentTexts",
    "ConsentTextsError",
    "ConsentVersion",
    "bundled_texts",
    "load_texts",
]
