"""Questions made from every hand-counted task row of the build split, asked as an official would.

The gold question sets are a few hundred questions written by hand; this asks, for
each row of tests/gold/tasks.json on a build-split document (never a held-out one),
who leads it, who partners it and by when, with the document named by its number
(or its province when it has none), and counts the answers whose lead agency,
partner or deadline is the row's. Wordings:

* ``chủ trì``   — "Theo <type> <number>, cơ quan nào chủ trì <task as printed>?"
* ``lo việc``   — "… đơn vị nào lo việc <task>?" (how officials say it)
* ``đổi từ``    — the same with common verbs put in other words ("xây dựng" → "lập",
  "tổ chức" → "tiến hành" …). The product has no synonym table; only the
  embeddings and word coverage can carry these.
* ``thời hạn``  — "… thời hạn hoàn thành việc <task> là khi nào?"
* ``phối hợp``  — "… cơ quan nào phối hợp <task>?"

A row's task text is its first ≤12 words (as counted by hand), so some questions
are cut short; rows repeated in two plans of one province make some questions
ambiguous. The numbers compare versions of the product, they are not its accuracy.

    python scripts/task_questions_benchmark.py [--every N] [--shared ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from indexer.agencies import agency_key  # noqa: E402
from indexer.normalise import comparable  # noqa: E402
from indexer.settings import Settings  # noqa: E402
from search_api.evaluate import GOLD_DIR, SPLIT_FILE, admin_docs, admin_index  # noqa: E402
from search_api.state import IndexState  # noqa: E402

OTHER_WORDS = (("xây dựng", "lập"), ("triển khai", "thực hiện"), ("tổ chức", "tiến hành"), ("rà soát", "xem xét lại"),
               ("ban hành", "ra"), ("nâng cao", "cải thiện"), ("đẩy mạnh", "tăng cường"), ("hoàn thiện", "làm hoàn chỉnh"),
               ("tham mưu", "đề xuất"), ("kiểm tra", "giám sát"), ("tuyên truyền", "phổ biến"))


def _other_words(text: str) -> str:
    for word, other in OTHER_WORDS:
        text = re.sub(rf"(?<!\w){word}(?!\w)", other, text, flags=re.IGNORECASE)
    return text


def _squash(text: str | None) -> str:
    return comparable(text or "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--every", type=int, default=1, help="ask about every N-th row only (a small run)")
    parser.add_argument("--index-dir", type=Path, default=Path("data/eval/vn-admin-docs"))
    args = parser.parse_args()
    if not admin_docs(args.shared).is_dir():
        print("bỏ qua: không có thư mục vn-admin-docs")
        return 0
    build = set(json.loads(SPLIT_FILE.read_text(encoding="utf-8"))["build"])
    gold = json.loads((GOLD_DIR / "tasks.json").read_text(encoding="utf-8"))["documents"]
    settings = Settings.from_env()
    state = admin_index(settings, args.shared, args.index_dir, IndexState(settings).embedder())
    snapshot = state.current()
    asked: Counter[str] = Counter()
    right: Counter[str] = Counter()
    rows = [(entry, row) for entry in gold if entry["source"] in build for table in entry["tables"] for row in table["rows"]]
    for entry, row in rows[:: max(1, args.every)]:
        meta = snapshot.index.documents[Path(entry["source"]).stem].meta
        where = f"Theo {meta.doc_type or 'văn bản'} {meta.doc_number}, " if meta.doc_number else f"Ở {meta.place or ''}, "
        task = row["task"][:1].lower() + row["task"][1:]
        questions = {}
        if row["lead"]:
            questions["chủ trì"] = f"{where}cơ quan nào chủ trì {task}?"
            questions["lo việc"] = f"{where}đơn vị nào lo việc {task}?"
            questions["đổi từ"] = f"{where}đơn vị nào lo việc {_other_words(task)}?"
        if row.get("deadline"):
            questions["thời hạn"] = f"{where}thời hạn hoàn thành việc {task} là khi nào?"
        if row.get("support"):
            questions["phối hợp"] = f"{where}cơ quan nào phối hợp {task}?"
        for wording, question in questions.items():
            answer = snapshot.answerer.ask(question)
            if wording == "thời hạn":
                want = _squash(row["deadline"])[:25]
                ok = want in _squash(answer.deadline or answer.answer)
            else:
                names = answer.support if wording == "phối hợp" else answer.lead
                got = " | ".join(agency_key(n) for n in names)
                ok = any(agency_key(n) in got for n in (row["support"] if wording == "phối hợp" else row["lead"]))
            asked[wording] += 1
            right[wording] += ok
    print(f"Câu hỏi tạo từ {len(rows[:: max(1, args.every)])} hàng nhiệm vụ (phần xây dựng):")
    for wording in ("chủ trì", "lo việc", "đổi từ", "thời hạn", "phối hợp"):
        if asked[wording]:
            print(f"  {wording:9} {right[wording]:4}/{asked[wording]:<4} ({right[wording] / asked[wording]:.3f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
