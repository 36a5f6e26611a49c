"""Which documents a question is about when it names an issuer or a place (search_api.scope)."""

from __future__ import annotations

import pytest

from indexer.normalise import folded_form
from indexer.records import Document, DocumentMeta
from search_api.scope import ScopeFinder


@pytest.fixture(scope="module")
def finder() -> ScopeFinder:
    def doc(doc_id: str, issuer: str) -> Document:
        return Document(DocumentMeta(doc_id=doc_id, source=f"{doc_id}.md", issuer=issuer), text="")

    documents = {d.meta.doc_id: d for d in (doc("nq-1", "Chính phủ"), doc("kh-2", "UBND tỉnh Lâm Đồng"))}
    return ScopeFinder(documents)


@pytest.mark.parametrize(
    ("question", "label"),
    [
        ("Chính phủ giao bộ nào chủ trì khắc phục thiên tai?", "chinh phu"),
        ("Theo nghị quyết của Chính phủ, ai hỗ trợ các tỉnh?", "chinh phu"),
        ("Ở Lâm Đồng, sở nào chủ trì số hóa hồ sơ?", "Lâm Đồng"),
        # the Government as the one a task reports or proposes to: the task's content, not its issuer
        ("Cơ quan nào chủ trì nghiên cứu, báo cáo đề xuất Chính phủ ban hành cơ sở pháp lý?", None),
        ("Bộ nào trình Chính phủ ban hành nghị định?", None),
    ],
)
def test_scope_is_the_issuer_who_assigns_not_the_one_addressed(finder: ScopeFinder, question: str, label: str | None) -> None:
    scope = finder.of(folded_form(question))
    assert (scope.label if scope else None) == label
