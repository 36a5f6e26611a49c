"""The benchmark's corpus builder reads laws through the same document model as the indexer."""

from __future__ import annotations

from pathlib import Path

from search_api.benchmark import law_passages

LAW = """LUẬT
THỬ NGHIỆM

Chương I
QUY ĐỊNH CHUNG

Điều 1. Phạm vi điều chỉnh
Luật này quy định về việc thử nghiệm. Cơ quan nhà nước thực hiện thử nghiệm theo quy định.

Điều 2. Đối tượng áp dụng
Luật này áp dụng đối với cơ quan, tổ chức, cá nhân có liên quan.
"""


def test_law_passages_are_replicated_to_the_size_asked(tmp_path: Path) -> None:
    (tmp_path / "luat-thu-nghiem.txt").write_text(LAW, encoding="utf-8")
    (tmp_path / "rong.txt").write_text("", encoding="utf-8")  # an unreadable law is skipped, not fatal
    passages = law_passages(tmp_path, 12)
    assert len(passages) >= 12
    assert any("Phạm vi điều chỉnh" in p for p in passages)
    assert any(p.startswith("Bản 1: ") for p in passages)
