"""The vendored corpus archives, read straight from their ``.tar.gz`` files."""

from __future__ import annotations

import tarfile
from dataclasses import dataclass
from pathlib import Path

CORPORA_DIR = Path(__file__).resolve().parent.parent / "data" / "corpora"
CORPORA: dict[str, Path] = {
    "feedparser": CORPORA_DIR / "feedparser-tests.tar.gz",
    "w3c": CORPORA_DIR / "w3c-feedvalidator-testcases.tar.gz",
}
# Not test cases: the licence that travels inside each archive.
_NOT_CASES = frozenset({"LICENSE"})


@dataclass(frozen=True, slots=True)
class CorpusFile:
    """One test file: its path inside the archive (top directory dropped) and its bytes."""

    name: str
    data: bytes


def read_corpus(corpus: str) -> list[CorpusFile]:
    """Every regular file of the corpus ``corpus`` (a key of ``CORPORA``), sorted by name."""
    files: list[CorpusFile] = []
    with tarfile.open(CORPORA[corpus], "r:gz") as archive:
        for member in archive:
            if not member.isfile():
                continue
            name = member.name.split("/", 1)[1] if "/" in member.name else member.name
            if name in _NOT_CASES:
                continue
            handle = archive.extractfile(member)
            if handle is not None:
                files.append(CorpusFile(name, handle.read()))
    files.sort(key=lambda file: file.name)
    return files


def is_opml(file: CorpusFile) -> bool:
    """Whether a W3C case is an OPML document (by its folder or suffix)."""
    return file.name.endswith(".opml") or "/opml/" in f"/{file.name}"
