"""A syllable trigram language model of clean Vietnamese legal text, for OCR repair.

Why: OCR without a Vietnamese model leaves "hin" where "hiện", "hiền" or "hiến"
could stand; only the neighbours decide ("thực hiện", "hiền lành"). Counts of
syllable trigrams in clean laws and administrative documents say which reading
an official text would use. Stupid backoff (Brants et al. 2007) scores them: no
normalisation is needed to rank the candidates of one line against each other.

The counts of the law collection are built once and cached (``Settings.ocr_lm_cache``);
the clean documents of the corpus being indexed are added in memory on top.
"""

from __future__ import annotations

import hashlib
import math
import pickle
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from tqdm import tqdm

from indexer.normalise import lexical_form, normalise_tone_marks
from indexer.store import write_atomically
from indexer.text_quality import VIETNAMESE_LETTERS

BOS = "<s>"
NUMBER = "<n>"  # 2024, 6745/QĐ-UBND, 85%
OTHER = "<x>"  # abbreviations, names in Latin letters, codes: not syllables
CACHE_VERSION = 3
BACKOFF = 0.4  # the constant of stupid backoff
UNSEEN_LOG10 = -8.0  # a syllable the model never saw
MIN_INVENTORY_COUNT = 2  # a syllable seen once may be a typo of the training text

_TOKEN = re.compile(r"\S+")
_EDGE_PUNCT = "\"'“”‘’()[]{}.,;:!?…–—-*«»<>"


def token_core(token: str) -> str:
    """The token without the punctuation around it ("(SIPAS)," → "SIPAS")."""
    return token.strip(_EDGE_PUNCT)


def is_syllable_text(word: str) -> bool:
    """Only letters of the Vietnamese alphabet: a candidate syllable."""
    return bool(word) and all(ch in VIETNAMESE_LETTERS for ch in word)


def lm_token(core: str) -> str:
    """The model's token for one word of clean text: its lower-case syllable or a class."""
    if not core:
        return ""
    low = lexical_form(core)
    if is_syllable_text(low):
        return low
    if any(ch.isdigit() for ch in core):
        return NUMBER
    return OTHER


_LIST_MARK = re.compile(r"[a-zđ]\)")  # "a)", "đ)": the points of a clause, not the syllable "a"


def line_tokens(line: str) -> list[str]:
    """The model's tokens of one line of clean text, in order."""
    return [
        OTHER if _LIST_MARK.fullmatch(raw) else lm_token(token_core(raw))
        for raw in _TOKEN.findall(line)
        if token_core(raw)
    ]


class SyllableLM:
    """Trigram counts over syllables with stupid-backoff scores (log10)."""

    def __init__(self) -> None:
        self.unigrams: Counter[str] = Counter()
        self.bigrams: Counter[tuple[str, str]] = Counter()
        self.trigrams: Counter[tuple[str, str, str]] = Counter()
        self.total = 0

    def add_text(self, text: str) -> None:
        """Count every line of a clean text (each line starts a new context)."""
        text = normalise_tone_marks(unicodedata.normalize("NFC", text))
        uni, bi, tri = self.unigrams, self.bigrams, self.trigrams
        for line in text.splitlines():
            tokens = line_tokens(line)
            if not tokens:
                continue
            seq = [BOS, BOS, *tokens]
            uni.update(tokens)
            uni[BOS] += 1
            bi[(BOS, BOS)] += 1  # the context of a line's first syllable
            bi.update(zip(seq[1:], seq[2:]))
            tri.update(zip(seq, seq[1:], seq[2:]))
            self.total += len(tokens)

    def add_texts(self, texts: Iterable[str]) -> None:
        for text in texts:
            self.add_text(text)

    def inventory(self) -> set[str]:
        """Syllables seen often enough to be trusted as real Vietnamese syllables."""
        return {w for w, c in self.unigrams.items() if c >= MIN_INVENTORY_COUNT and is_syllable_text(w)}

    def log10_prob(self, u: str, v: str, w: str) -> float:
        """Stupid-backoff score of ``w`` after ``u v``."""
        c = self.trigrams.get((u, v, w))
        if c:
            return math.log10(c / self.bigrams[(u, v)])
        c = self.bigrams.get((v, w))
        if c:
            return math.log10(BACKOFF * c / self.unigrams[v])
        c = self.unigrams.get(w)
        if c:
            return math.log10(BACKOFF * BACKOFF * c / max(1, self.total))
        return UNSEEN_LOG10

    def prune(self, min_count: int = 2) -> None:
        """Drop trigrams seen once: they halve the cache and barely change a decision."""
        self.trigrams = Counter({k: c for k, c in self.trigrams.items() if c >= min_count})


def training_files(folder: Path) -> list[Path]:
    """The clean texts of a folder of laws (``*.txt``, README and reference lists left out)."""
    if not folder.is_dir():
        return []
    return sorted(folder.glob("*.txt"))


def fingerprint(files: list[Path]) -> str:
    """Names, sizes and times of the training files: a changed law rebuilds the model."""
    digest = hashlib.sha256(f"v{CACHE_VERSION}".encode())
    for path in files:
        stat = path.stat()
        digest.update(f"{path.name}\0{stat.st_size}\0{int(stat.st_mtime)}\n".encode())
    return digest.hexdigest()[:16]


def base_model(folder: Path, cache_dir: Path | None, *, progress: bool = True) -> SyllableLM:
    """The model of the law collection in ``folder``: from the cache, else counted and cached.

    An absent folder gives an empty model (the corpus's clean documents are then all
    the repair has to learn from).
    """
    files = training_files(folder)
    cache_file = cache_dir / f"syllable-lm-{fingerprint(files)}.pkl" if cache_dir is not None and files else None
    if cache_file is not None and cache_file.is_file():
        try:
            with cache_file.open("rb") as handle:
                model = pickle.load(handle)
            if isinstance(model, SyllableLM):
                return model
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass  # a broken cache is rebuilt below
    model = SyllableLM()
    for path in tqdm(files, desc="Mô hình âm tiết (sửa lỗi OCR)", unit="tệp", disable=not progress):
        model.add_text(path.read_text(encoding="utf-8", errors="replace"))
    model.prune()
    if cache_file is not None:
        write_atomically(cache_file, pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL))
    return model
