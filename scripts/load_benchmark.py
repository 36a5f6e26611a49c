#!/usr/bin/env python
"""Load benchmark: a real ``tracuu serve`` on 127.0.0.1 under concurrent search/ask traffic.

Starts the server on a free local port over an existing index (default ``data/index``;
build one first with ``tracuu index``), waits for ``/healthz`` to say ok, then runs
``--concurrency`` client threads for ``--seconds`` seconds, each sending a mix of
``/api/search`` and ``/api/ask`` requests with the queries of ``tests/gold/retrieval.jsonl``.
Prints requests/s, p50/p95/p99 latency and the error count, then stops the server.

    python scripts/load_benchmark.py --seconds 20
    python scripts/load_benchmark.py --scenario ask-lead --concurrency 1 --seconds 30

``--scenario pages`` opens the web pages (search with its answer card, a document,
the tasks table); over loopback at concurrency 1 the time is the server's render
time plus a fraction of a millisecond. ``--scenario ask-lead`` sends only ``POST /api/ask`` with the lead questions of
``tests/gold/answers.jsonl`` ("Cơ quan nào chủ trì …?"): the answer path as a
browser form or another tool uses it. ``--scenario long`` runs the mixed traffic twice
for ``--seconds`` each: without long questions, then with ``--long-share`` (10 %) of
2,000-character questions (gold questions run together, half typed without
diacritics: the most work one request may ask for), and prints the p95 of the
normal questions of both runs side by side. 429/503 answers are the server's
deliberate refusals (rate limit, busy) and are counted apart from errors.

    python scripts/load_benchmark.py --scenario long --concurrency 16 --seconds 60
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from indexer.normalise import fold_accents  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"  # never anything else: this is a local benchmark


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def load_queries(path: Path, kind: str | None = None) -> list[str]:
    """The ``query`` (retrieval gold) or ``question`` (answer gold) of each line, of one kind if given."""
    queries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            if kind is None or item.get("kind") == kind:
                queries.append(item.get("query") or item["question"])
    if not queries:
        raise SystemExit(f"Không có câu truy vấn nào trong {path}.")
    return queries


def start_server(index_dir: Path, port: int, log_path: Path) -> subprocess.Popen:
    tracuu = Path(sys.executable).with_name("tracuu")
    command = [str(tracuu)] if tracuu.exists() else [shutil.which("tracuu") or "tracuu"]
    env = dict(os.environ, TRACUU_INDEX_DIR=str(index_dir), TRACUU_HOST=HOST)
    log = log_path.open("wb")
    return subprocess.Popen(command + ["serve", "--host", HOST, "--port", str(port)], cwd=REPO, env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def wait_healthy(base: str, server: subprocess.Popen, timeout: float, log_path: Path) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"Máy chủ đã dừng (mã {server.returncode}). Nhật ký:\n{log_path.read_text(errors='replace')}")
        try:
            response = httpx.get(f"{base}/healthz", timeout=2)
            if response.status_code == 200 and response.json().get("status") == "ok":
                return response.json()
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise SystemExit(f"/healthz không báo ok sau {timeout:.0f} s. Nhật ký:\n{log_path.read_text(errors='replace')}")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)  # its own session: only what we started
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(p / 100 * (len(sorted_values) - 1))))
    return sorted_values[index]


# A request: (kind for the report, method, path, query params, JSON body).
Request = tuple[str, str, str, dict | None, dict | None]
Picker = Callable[[random.Random], Request]


LONG_CHARS = 2000  # the server's default TRACUU_MAX_QUERY_CHARS
DELIBERATE = (429, 503)  # rate limited, busy: refusals by design, not failures


def long_questions(queries: list[str], count: int = 50, seed: int = 11) -> list[str]:
    """Questions of ``LONG_CHARS`` characters: gold queries run together, every other one folded."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < LONG_CHARS:
            parts.append(rng.choice(queries))
        text = " ".join(parts)[:LONG_CHARS]
        out.append(fold_accents(text) if i % 2 else text)
    return out


def api_requests(queries: list[str], ask_share: float, post_only: bool,
                 long: list[str] | None = None, long_share: float = 0.0) -> Picker:
    """Search and ask traffic; ``post_only`` sends every ask as ``POST /api/ask``;
    ``long_share`` of the requests are long questions (``POST /api/ask``, kind "ask:dài")."""
    def pick(rng: random.Random) -> Request:
        if long and rng.random() < long_share:
            return ("ask:dài", "POST", "/api/ask", None, {"q": rng.choice(long)})
        query = rng.choice(queries)
        if rng.random() >= ask_share:
            return ("search", "GET", "/api/search", {"q": query, "k": 10}, None)
        if not post_only and rng.random() < 0.5:
            return ("ask", "GET", "/api/ask", {"q": query}, None)
        return ("ask", "POST", "/api/ask", None, {"q": query})
    return pick


def page_requests(queries: list[str], doc_ids: list[str]) -> Picker:
    """The web pages an official opens: search with answer card, a document, the tasks table."""
    def pick(rng: random.Random) -> Request:
        roll = rng.random()
        if roll < 0.5:
            return ("page:tìm", "GET", "/", {"q": rng.choice(queries)}, None)
        if roll < 0.8:
            return ("page:văn bản", "GET", f"/documents/{rng.choice(doc_ids)}", None, None)
        return ("page:nhiệm vụ", "GET", "/tasks", None, None)
    return pick


def server_seconds(response: httpx.Response) -> float | None:
    """The server's own time from its ``Server-Timing: app;dur=<ms>`` header."""
    for part in response.headers.get("server-timing", "").split(";"):
        if part.strip().startswith("dur="):
            return float(part.strip()[4:]) / 1000
    return None


def run_load(base: str, pick: Picker, seconds: float, concurrency: int) -> dict:
    latencies: dict[str, list[float]] = {}
    server_times: dict[str, list[float]] = {}
    errors: list[str] = []
    refused: dict[str, int] = {}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        with httpx.Client(base_url=base, timeout=30) as client:
            while time.monotonic() < stop_at:
                kind, method, path, params, body = pick(rng)
                started = time.perf_counter()
                try:
                    response = client.request(method, path, params=params, json=body)
                    elapsed = time.perf_counter() - started
                    in_server = server_seconds(response)
                    ok = response.status_code == 200
                    if response.status_code in DELIBERATE:
                        with lock:
                            key = f"{kind} {response.status_code}"
                            refused[key] = refused.get(key, 0) + 1
                        continue
                    problem = None if ok else f"{kind} {response.status_code}: {path} {str(params or body)[:80]}"
                except httpx.HTTPError as exc:
                    elapsed = time.perf_counter() - started
                    in_server = None
                    problem = f"{kind} {type(exc).__name__}: {path} {params or body}"
                with lock:
                    if problem:
                        errors.append(problem)
                    else:
                        latencies.setdefault(kind, []).append(elapsed)
                        if in_server is not None:
                            server_times.setdefault(kind, []).append(in_server)

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(concurrency)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"elapsed": time.monotonic() - began, "latencies": latencies, "server": server_times, "errors": errors,
            "refused": refused}


def print_table(rows: list[tuple[str, list[float]]]) -> None:
    """Count and p50/p95/p99/max in milliseconds of each row's sorted seconds."""
    print(f"{'loại':<14} {'số':>7} {'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9} {'max ms':>9}")
    for name, values in rows:
        if values:
            print(f"{name:<14} {len(values):>7} {percentile(values, 50) * 1000:>9.1f} {percentile(values, 95) * 1000:>9.1f}"
                  f" {percentile(values, 99) * 1000:>9.1f} {values[-1] * 1000:>9.1f}")


def report(result: dict, concurrency: int) -> None:
    elapsed = result["elapsed"]
    every = sorted(x for values in result["latencies"].values() for x in values)
    total = len(every) + len(result["errors"])
    print(f"Thời gian: {elapsed:.1f} s, đồng thời: {concurrency}")
    refused = result.get("refused", {})
    total += sum(refused.values())
    print(f"Yêu cầu: {total} ({total / elapsed:.1f} req/s), thành công: {len(every)}, lỗi: {len(result['errors'])}, "
          f"từ chối có chủ đích (429/503): {sum(refused.values())}"
          + (f" ({', '.join(f'{k}: {v}' for k, v in sorted(refused.items()))})" if refused else ""))
    print_table([("tất cả", every)] + [(k, sorted(v)) for k, v in result["latencies"].items()])
    if result["server"]:
        print("Thời gian trong máy chủ (tiêu đề Server-Timing, không tính mạng và phía khách):")
        print_table([(k, sorted(v)) for k, v in result["server"].items()])
    for problem in result["errors"][:10]:
        print(f"  lỗi: {problem}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="thời gian tạo tải (mặc định 60)")
    parser.add_argument("--concurrency", type=int, default=16, help="số luồng khách đồng thời (mặc định 16)")
    parser.add_argument("--ask-share", type=float, default=0.5, help="tỉ lệ yêu cầu /api/ask (mặc định 0.5)")
    parser.add_argument("--index-dir", type=Path, default=REPO / "data" / "index")
    parser.add_argument("--queries", type=Path, default=REPO / "tests" / "gold" / "retrieval.jsonl")
    parser.add_argument("--long-share", type=float, default=0.10, help="tỉ lệ câu hỏi dài ở kịch bản long (mặc định 0.10)")
    parser.add_argument("--scenario", choices=("mixed", "ask-lead", "pages", "long"), default="mixed",
                        help="mixed: tìm kiếm và hỏi đáp; ask-lead: chỉ POST /api/ask với câu hỏi cơ quan chủ trì; "
                             "pages: các trang web (tìm kiếm, văn bản, nhiệm vụ); "
                             "long: mixed có và không có câu hỏi dài, so p95 câu hỏi thường")
    parser.add_argument("--startup-timeout", type=float, default=180, help="chờ máy chủ sẵn sàng tối đa (giây)")
    args = parser.parse_args(argv)

    index_dir = args.index_dir.absolute()  # not resolve(): data/index may be a link a re-index swaps
    if not (index_dir / "manifest.json").exists():
        print(f"Chưa có chỉ mục ở {index_dir}. Hãy chạy 'tracuu index' trước.", file=sys.stderr)
        return 2
    lead_only = args.scenario == "ask-lead"
    if lead_only:
        queries = load_queries(REPO / "tests" / "gold" / "answers.jsonl", kind="lead")
        args.ask_share = 1.0
    else:
        queries = load_queries(args.queries)
    port = free_port()
    base = f"http://{HOST}:{port}"
    log_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"tracuu-load-{port}.log"
    print(f"Khởi động máy chủ tại {base} (chỉ mục {index_dir}) …", flush=True)
    server = start_server(index_dir, port, log_path)
    try:
        started = time.monotonic()
        health = wait_healthy(base, server, args.startup_timeout, log_path)
        print(f"Sẵn sàng sau {time.monotonic() - started:.1f} s: {health['documents']} văn bản, "
              f"{health['passages']} đoạn, mô hình {health['model']}", flush=True)
        if args.scenario == "pages":
            doc_ids = [d["doc_id"] for d in httpx.get(f"{base}/api/documents", timeout=30).json()]
            pick = page_requests(queries, doc_ids)
        else:
            pick = api_requests(queries, args.ask_share, lead_only)
        run_load(base, pick, 2, min(4, args.concurrency))  # warm-up, not counted
        if args.scenario == "long":
            return compare_long(base, queries, args)
        result = run_load(base, pick, args.seconds, args.concurrency)
    finally:
        stop_server(server)
    print(f"Kịch bản: {args.scenario} ({len(queries)} câu truy vấn khác nhau)")
    report(result, args.concurrency)
    return 1 if result["errors"] else 0


def compare_long(base: str, queries: list[str], args: argparse.Namespace) -> int:
    """The same traffic without, then with, long questions; p95 of the normal ones side by side."""
    long = long_questions(queries)
    runs = {}
    for label, share in (("không có câu dài", 0.0), (f"{args.long_share:.0%} câu dài", args.long_share)):
        pick = api_requests(queries, args.ask_share, False, long, share)
        runs[label] = run_load(base, pick, args.seconds, args.concurrency)
        print(f"\n== {label} ==")
        report(runs[label], args.concurrency)
    print(f"\np95 (ms) của câu hỏi thường, đồng thời {args.concurrency}, {args.seconds:.0f} s mỗi lượt:")
    print(f"{'loại':<10}" + "".join(f"{label:>22}" for label in runs))
    for kind in ("search", "ask"):
        cells = [percentile(sorted(r["latencies"].get(kind, [])), 95) * 1000 for r in runs.values()]
        print(f"{kind:<10}" + "".join(f"{c:>22.1f}" for c in cells))
    return 1 if any(r["errors"] for r in runs.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
