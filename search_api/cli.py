"""``tracuu``: the command line. Each subcommand calls one library function."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import asdict, replace
from pathlib import Path

from indexer.settings import Settings, default_shared_data
from indexer.store import DiskFull, IndexUnavailable


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings.from_env()
    if getattr(args, "corpus", None):
        settings = replace(settings, corpus_dir=Path(args.corpus))
    if getattr(args, "index", None):
        settings = replace(settings, index_dir=Path(args.index))
    if getattr(args, "lexical_only", False):
        settings = replace(settings, dense=False)
    return settings


def cmd_index(args: argparse.Namespace) -> int:
    from indexer.pipeline import build_index
    from search_api.state import embedder_factory

    settings = _settings(args)
    try:
        report = build_index(settings, embedder_factory(settings), progress=not args.quiet)
    except IndexUnavailable as exc:
        _audit_cli(settings, "reindex", None, 507 if isinstance(exc, DiskFull) else 409, str(exc))
        raise
    _audit_cli(settings, "reindex", None, 200, documents=report.documents, passages=report.passages,
               errors=len(report.errors), seconds=round(report.seconds, 2))
    print(
        f"Đã lập chỉ mục {report.documents} văn bản, {report.passages} đoạn, {report.tasks} nhiệm vụ, "
        f"{report.references} trích dẫn trong {report.seconds:.1f} s "
        f"(mã hoá mới {report.new_embeddings}, dùng lại {report.reused_embeddings}) → {settings.index_dir}"
    )
    if report.ocr_pages or report.ocr_cached_pages or report.ocr_failed_pages:
        per_page = f", {report.ocr_seconds / report.ocr_pages:.1f} s/trang" if report.ocr_pages else ""
        print(f"OCR: nhận dạng {report.ocr_pages} trang{per_page}; {report.ocr_cached_pages} trang lấy từ bộ nhớ đệm; "
              f"{report.ocr_failed_pages} trang lỗi hoặc quá giờ")
    for error in report.errors:
        print(f"  Lỗi: {error}", file=sys.stderr)
    for warning in report.warnings:
        print(f"  Cảnh báo: {warning}", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from search_api.app import create_app
    from search_api.state import IndexState

    from indexer.vector import set_search_threads

    settings = _settings(args)
    set_search_threads(1)  # one query at a time gains nothing from OpenMP hand-offs
    state = IndexState(settings)
    state.load()
    if state.error:
        print(f"Cảnh báo: {state.error}", file=sys.stderr)
    host = args.host or settings.host
    port = args.port or settings.port
    print(f"Tra cứu CCHC đang chạy tại http://{host}:{port}")
    uvicorn.run(create_app(state), host=host, port=port, log_level="warning")
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from search_api.answer import format_answer_text
    from search_api.state import IndexState

    state = IndexState(_settings(args))
    state.load()
    answer = state.current().answerer.ask(args.question)
    if args.json:
        print(json.dumps(asdict(answer), ensure_ascii=False, indent=2))
    else:
        print(format_answer_text(answer))
    return 0 if answer.found else 3


def cmd_search(args: argparse.Namespace) -> int:
    from search_api.state import IndexState

    state = IndexState(_settings(args))
    state.load()
    result = state.current().searcher.search(args.query, k=args.k, mode=args.mode)
    for rank, hit in enumerate(result.hits, 1):
        meta = hit.document.meta
        print(f"{rank:2}. [{hit.score:.4f}] {meta.doc_number or meta.source} — {hit.passage.section}")
        print(f"    {hit.passage.text[:200]}")
    print(f"({result.total} kết quả, {result.took_ms:.0f} ms)")
    return 0


def _audit_cli(settings: Settings, action: str, target: str | None, status: int, detail: str | None = None,
               **extra: object) -> None:
    """Backups and restores are admin actions too: recorded as from the command line."""
    from search_api.audit import AuditLog

    AuditLog.for_settings(settings).record(
        action, target=target, status=status, detail=detail, client="cli", key_label=None, **extra)


def cmd_backup(args: argparse.Namespace) -> int:
    from indexer.backup import BackupError, create_backup

    settings = _settings(args)
    try:
        summary = create_backup(settings.corpus_dir, settings.index_dir, Path(args.file))
    except BackupError as exc:
        _audit_cli(settings, "backup", args.file, 409, str(exc))
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    _audit_cli(settings, "backup", args.file, 200, generation=summary.generation)
    print(f"Đã sao lưu {summary.corpus_files} tệp văn bản và thế hệ chỉ mục {summary.generation} "
          f"({summary.index_files} tệp) vào {summary.path} ({summary.bytes / 1_048_576:.1f} MB).")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from indexer.backup import BackupError, restore_backup

    settings = _settings(args)
    try:
        summary = restore_backup(Path(args.file), settings.corpus_dir, settings.index_dir)
    except BackupError as exc:
        _audit_cli(settings, "restore", args.file, 409, str(exc))
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    _audit_cli(settings, "restore", args.file, 200, generation=summary.generation)
    print(f"Đã khôi phục {summary.corpus_files} tệp văn bản vào {settings.corpus_dir} và thế hệ chỉ mục "
          f"{summary.generation} vào {settings.index_dir}; chạy 'tracuu serve' để phục vụ.")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from search_api.audit import AuditLog, format_entry

    log = AuditLog.for_settings(_settings(args))
    entries = list(log.entries())
    if args.action:
        entries = [e for e in entries if e.get("action") == args.action]
    if args.limit:
        entries = entries[-args.limit:]
    if not entries:
        print(f"Nhật ký quản trị trống ({log.path}).")
        return 0
    for entry in entries:
        print(json.dumps(entry, ensure_ascii=False) if args.json else format_entry(entry))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    if args.ocr:
        from search_api.evaluate_ocr import run_ocr_evaluation

        return run_ocr_evaluation(args)
    from search_api.evaluate import run_evaluation

    return run_evaluation(args)


def cmd_bench(args: argparse.Namespace) -> int:
    if args.ocr:
        from search_api.benchmark_ocr import run_ocr_benchmark

        return run_ocr_benchmark(args)
    from search_api.benchmark import run_benchmark

    return run_benchmark(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tracuu", description="Tra cứu CCHC: tìm kiếm và hỏi đáp văn bản CCHC.")
    parser.add_argument("--corpus", help="thư mục văn bản (mặc định corpus/)")
    parser.add_argument("--index", help="thư mục chỉ mục (mặc định data/index)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("index", help="lập (lại) chỉ mục cho thư mục văn bản")
    p.add_argument("--lexical-only", action="store_true", help="không dùng mô hình nhúng")
    p.add_argument("--quiet", action="store_true", help="không hiện thanh tiến trình")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("serve", help="chạy trang web và API")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("ask", help="hỏi một câu và in câu trả lời kèm nguồn")
    p.add_argument("question")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("search", help="tìm các đoạn văn liên quan")
    p.add_argument("query")
    p.add_argument("-k", type=int, default=10)
    p.add_argument("--mode", choices=("hybrid", "lexical", "dense"), default="hybrid")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("backup", help="sao lưu kho văn bản và chỉ mục đang dùng vào một tệp")
    p.add_argument("file", help="tệp sao lưu sẽ tạo (.tar.gz)")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="khôi phục từ tệp sao lưu vào thư mục dữ liệu trống")
    p.add_argument("file", help="tệp sao lưu (.tar.gz)")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("audit", help="xem nhật ký các thao tác quản trị")
    p.add_argument("--limit", type=int, default=50, help="chỉ N dòng cuối (0 = tất cả; mặc định 50)")
    p.add_argument("--action", help="chỉ một loại thao tác (upload, replace, reindex, denied, backup, restore)")
    p.add_argument("--json", action="store_true", help="in nguyên các dòng JSON")
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser("eval", help="đo chất lượng tìm kiếm (bộ câu hỏi riêng và ALQAC)")
    p.add_argument("--alqac", default=str(default_shared_data() / "alqac"), help="thư mục dữ liệu ALQAC")
    p.add_argument("--limit", type=int, default=0, help="chỉ dùng N câu hỏi ALQAC (0 = tất cả)")
    p.add_argument("--skip-alqac", action="store_true")
    p.add_argument("--skip-gold", action="store_true")
    p.add_argument("--skip-answers", action="store_true")
    p.add_argument("--shared", default=str(default_shared_data()),
                   help="thư mục dữ liệu dùng chung (có vn-admin-docs/ và alqac/)")
    p.add_argument("--admin-index", default="data/eval/vn-admin-docs",
                   help="nơi lập chỉ mục kho phát triển vn-admin-docs để đánh giá")
    p.add_argument("--verbose", action="store_true", help="in các câu trả lời sai")
    p.add_argument("--quiet", action="store_true", help="không hiện thanh tiến trình")
    p.add_argument("--ocr", action="store_true",
                   help="chỉ đo OCR: CER và tỷ lệ âm tiết đúng trên bản quét giả lập của văn bản sạch")
    p.add_argument("--ocr-small", action="store_true", help="đo OCR cỡ nhỏ (1 trang, vie và eng; dùng trong make test)")
    p.add_argument("--ocr-pages", type=int, default=0, help="số trang đầu của mỗi văn bản (mặc định 2)")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("bench", help="đo tốc độ lập chỉ mục và truy vấn")
    p.add_argument("--passages", type=int, default=200_000, help="số đoạn của kho lớn")
    p.add_argument("--laws", default="../shared/data/vlc-laws", help="thư mục luật dùng để dựng kho lớn")
    p.add_argument("--queries", type=int, default=200)
    p.add_argument("--sample", type=int, default=1000, help="số đoạn thật được mã hoá cho kho lớn (mặc định 1000)")
    p.add_argument("--skip-seed", action="store_true", help="bỏ qua phần đo trên kho gốc")
    p.add_argument("--ocr", action="store_true",
                   help="chỉ đo OCR: lập chỉ mục một PDF quét nhiều trang (tiến trình, thời gian từng trang), hai lần")
    p.add_argument("--ocr-pages", type=int, default=20, help="số trang của PDF quét (mặc định 20)")
    p.set_defaults(func=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except IndexUnavailable as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Đã dừng.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
