"""Queries through ONNX Runtime: the same float32 vectors, about twice as fast.

Why: a search's time on a small CPU is mostly the embedding of the query, and
PyTorch eager spends much of a one-sentence forward pass on dispatch and
unpacked weights. The same float32 network run by ONNX Runtime encoded a query
in ~120 ms p50 on the slow 2-core VM against ~270 ms for PyTorch float32 and
~180 ms for PyTorch bfloat16, with cosine ≥ 0.99999 to PyTorch float32.

The graph is exported once per model (torch.export → ONNX) into the model cache
and checked against PyTorch on every load; anything it cannot reproduce raises
:class:`OnnxUnavailable` and the caller falls back to PyTorch. The word-embedding
lookup stays outside the graph (a numpy gather from the loaded model's own
matrix) so the file does not carry a second copy of the 250k-row vocabulary:
86 MB on disk instead of 470 MB.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import os
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .offline_model import apply_umask_permissions, default_cache_root, exclusive_lock

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)

EXPORT_VERSION = 1
"""Bump when the exported graph changes, so cached exports are rebuilt."""

CACHE_SUBDIR = "onnx-query"
GRAPH_NAME = "query.onnx"
MANIFEST_NAME = "manifest.json"
UNUSABLE_NAME = "unusable.txt"
"""Written instead of a graph when export or its check failed: later starts skip the costly retry."""
MIN_COSINE = 0.9999
"""Agreement with PyTorch float32 an export must reach on the probe texts to be used."""

PROBES = (
    "Cơ quan nào chủ trì xây dựng cơ sở dữ liệu công chứng?",
    "ke hoach cai cach hanh chinh nam 2022",
    "Điều 5. Trách nhiệm của Sở Nội vụ trong việc tổ chức thực hiện, kiểm tra, đôn đốc và báo cáo kết quả "
    "thực hiện nhiệm vụ cải cách hành chính của các cơ quan, đơn vị trên địa bàn thành phố.",
    "x",
)
"""Texts of different lengths, encoded as one padded batch, so padding and masking are checked too."""


class OnnxUnavailable(RuntimeError):
    """The model cannot be run by ONNX Runtime here (missing package, unsupported model, mismatch)."""


def _pooling_mode(model: SentenceTransformer) -> str:
    """``"mean"`` or ``"cls"`` for Transformer → Pooling [→ Normalize] models; else unsupported."""
    names = [type(module).__name__ for module in model]
    if names[:2] != ["Transformer", "Pooling"] or any(n != "Normalize" for n in names[2:]):
        raise OnnxUnavailable(f"chỉ hỗ trợ mô hình Transformer → Pooling [→ Normalize], không phải {names}")
    pooling = model[1]
    mode = getattr(pooling, "pooling_mode", None)
    if mode is None and hasattr(pooling, "get_pooling_mode_str"):
        mode = pooling.get_pooling_mode_str()
    if mode not in ("mean", "cls") or getattr(pooling, "include_prompt", True) is False:
        raise OnnxUnavailable(f"kiểu gộp {mode!r} chưa được hỗ trợ")
    return str(mode)


def _fingerprint(model: SentenceTransformer, mode: str) -> str:
    """Identifies the weights and the export recipe: a changed model or exporter re-exports."""
    h = hashlib.sha256(f"{EXPORT_VERSION}|{mode}|{type(model[0].auto_model).__name__}".encode())
    for name, tensor in model[0].auto_model.state_dict().items():
        t = tensor.detach()
        h.update(f"{name}|{tuple(t.shape)}|{t.dtype}|".encode())
        if t.is_floating_point():
            h.update(np.float64(t.double().sum().item()).tobytes())
            h.update(np.float64(t.double().abs().sum().item()).tobytes())
    return h.hexdigest()[:24]


def _torch_reference(model: SentenceTransformer, texts: list[str], prompt: str | None) -> np.ndarray:
    """PyTorch float32 vectors, the ground truth an export is checked against."""
    import torch

    with torch.inference_mode():
        out = model(model.preprocess(texts, prompt=prompt))["sentence_embedding"].float().numpy()
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def _export(model: SentenceTransformer, mode: str, path: Path) -> None:
    """Write the transformer + pooling, fed with token embeddings, as an ONNX graph."""
    import torch

    class Pooled(torch.nn.Module):
        def __init__(self, transformer: torch.nn.Module) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, inputs_embeds: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.transformer(inputs_embeds=inputs_embeds, attention_mask=attention_mask).last_hidden_state
            if mode == "cls":
                return hidden[:, 0]
            weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)

    transformer = model[0].auto_model
    features = model.preprocess(list(PROBES[:2]))
    with torch.no_grad():  # plain tensors: torch.export refuses inference-mode ones
        embeds = transformer.get_input_embeddings()(features["input_ids"])
    batch, seq = torch.export.Dim("batch"), torch.export.Dim("sequence")
    shapes = {"inputs_embeds": {0: batch, 1: seq}, "attention_mask": {0: batch, 1: seq}}
    # The exporter reports each step on stdout and in INFO logs; a server log does not want that.
    quiet = [logging.getLogger(name) for name in ("onnxscript", "onnx_ir")]
    levels = [logger.level for logger in quiet]
    for logger in quiet:
        logger.setLevel(logging.WARNING)
    try:
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                Pooled(transformer).eval(), (embeds, features["attention_mask"]), str(path),
                input_names=["inputs_embeds", "attention_mask"], output_names=["pooled_vector"],
                dynamic_shapes=shapes, dynamo=True, external_data=False,
            )
    finally:
        for logger, level in zip(quiet, levels):
            logger.setLevel(level)


class OnnxQueryEncoder:
    """Encodes texts with an exported graph; thread-safe (one ORT session, run concurrently)."""

    def __init__(self, model: SentenceTransformer, graph: Path, *, threads: int = 1, batch_size: int = 32) -> None:
        import onnxruntime as ort

        self.model = model
        self.batch_size = batch_size
        # Shares memory with the loaded model's float32 matrix: no second vocabulary copy.
        self.word_embeddings = model[0].auto_model.get_input_embeddings().weight.detach().numpy()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads  # one query is too small to split (see embed.SMALL_BATCH)
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])

    def encode(self, texts: list[str], prompt: str | None = None) -> np.ndarray:
        """Unit vectors, float32, shape ``(len(texts), dim)``, tokenised exactly as the model does."""
        parts = []
        for start in range(0, len(texts), self.batch_size):
            features = self.model.preprocess(texts[start : start + self.batch_size], prompt=prompt)
            ids = features["input_ids"].numpy()
            mask = features["attention_mask"].numpy().astype(np.int64)
            (out,) = self.session.run(None, {"inputs_embeds": self.word_embeddings[ids], "attention_mask": mask})
            parts.append(out)
        vectors = np.vstack(parts).astype(np.float32, copy=False)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    def agreement(self, prompt: str | None) -> float:
        """Least cosine to PyTorch float32 over the probe texts (1.0 = identical)."""
        texts = list(PROBES)
        ours, reference = self.encode(texts, prompt), _torch_reference(self.model, texts, prompt)
        return float(np.min(np.sum(ours * reference, axis=1)))


def _check_model(model: SentenceTransformer) -> str:
    try:
        import onnxruntime  # noqa: F401
    except ImportError as exc:
        raise OnnxUnavailable("chưa cài onnxruntime") from exc
    mode = _pooling_mode(model)
    import torch

    weight = model[0].auto_model.get_input_embeddings().weight
    if weight.dtype != torch.float32 or weight.device.type != "cpu":
        raise OnnxUnavailable("chỉ hỗ trợ mô hình float32 trên CPU")
    return mode


def load_query_encoder(
    model: SentenceTransformer, prompt: str | None, *, cache_root: Path | None = None, progress: bool = True
) -> OnnxQueryEncoder:
    """The ONNX query encoder for ``model``, exporting it into the cache the first time.

    Raises :class:`OnnxUnavailable` when the model cannot be exported or the export
    does not reproduce PyTorch's vectors (cosine < ``MIN_COSINE`` on the probes);
    the reason is kept in the cache so later starts do not pay for the export again.
    """
    mode = _check_model(model)
    root = (Path(cache_root).expanduser() if cache_root is not None else default_cache_root()) / CACHE_SUBDIR
    target = root / _fingerprint(model, mode)
    if not (target / GRAPH_NAME).is_file() and not (target / UNUSABLE_NAME).is_file():
        root.mkdir(parents=True, exist_ok=True)
        with exclusive_lock(root / f".{target.name}.lock"):
            if not (target / GRAPH_NAME).is_file() and not (target / UNUSABLE_NAME).is_file():
                _export_into(model, mode, target, prompt, progress)
    unusable = target / UNUSABLE_NAME
    if unusable.is_file():
        raise OnnxUnavailable(unusable.read_text(encoding="utf-8").strip() + f" (xoá {target} để thử lại)")
    try:
        return _checked_encoder(model, target / GRAPH_NAME, prompt)
    except OnnxUnavailable:  # a damaged file in the cache: export afresh once
        with exclusive_lock(root / f".{target.name}.lock"):
            _export_into(model, mode, target, prompt, progress)
        if unusable.is_file():
            raise OnnxUnavailable(unusable.read_text(encoding="utf-8").strip()) from None
        return _checked_encoder(model, target / GRAPH_NAME, prompt)


def _checked_encoder(model: SentenceTransformer, graph: Path, prompt: str | None) -> OnnxQueryEncoder:
    """Open ``graph`` and make sure it reproduces PyTorch on the probe texts."""
    try:
        encoder = OnnxQueryEncoder(model, graph)
        agreement = encoder.agreement(prompt)
    except Exception as exc:  # unreadable, foreign or truncated file
        raise OnnxUnavailable(f"không mở được {graph.name}: {type(exc).__name__}: {exc}") from exc
    if agreement < MIN_COSINE:
        raise OnnxUnavailable(f"bản ONNX lệch PyTorch (cosin {agreement:.6f} < {MIN_COSINE})")
    return encoder


def _export_into(model: SentenceTransformer, mode: str, target: Path, prompt: str | None, progress: bool) -> None:
    """Export and check in a temporary sibling, then rename it into place: never a half-written cache.

    A failed export or check leaves ``unusable.txt`` with the reason instead of a graph.
    """
    if progress:
        print(f"Đang xuất bộ mã hoá câu hỏi sang ONNX (một lần) → {target}", file=sys.stderr)
    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        try:
            _export(model, mode, tmp / GRAPH_NAME)
            _checked_encoder(model, tmp / GRAPH_NAME, prompt)
        except OnnxUnavailable as exc:
            (tmp / GRAPH_NAME).unlink(missing_ok=True)
            (tmp / UNUSABLE_NAME).write_text(str(exc), encoding="utf-8")
        except Exception as exc:  # the exporter's many failure types: record, fall back
            (tmp / GRAPH_NAME).unlink(missing_ok=True)
            reason = f"không xuất được sang ONNX: {type(exc).__name__}: {exc}"
            (tmp / UNUSABLE_NAME).write_text(reason, encoding="utf-8")
        manifest = {"export_version": EXPORT_VERSION, "pooling": mode, "seconds": round(time.perf_counter() - started, 1)}
        (tmp / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
        apply_umask_permissions(tmp)
        shutil.rmtree(target, ignore_errors=True)
        os.replace(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    log.info("query encoder exported to ONNX in %.1fs → %s", time.perf_counter() - started, target)


__all__ = ["OnnxQueryEncoder", "OnnxUnavailable", "load_query_encoder"]
