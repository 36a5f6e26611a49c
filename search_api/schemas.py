"""The JSON contract of the API: pydantic models other tools can rely on."""

from __future__ import annotations

from pydantic import BaseModel, Field

from search_api.kinds import schema_description


class SearchResultItem(BaseModel):
    passage_id: str
    doc_id: str
    source: str = Field(description="Tên tệp trong kho văn bản (mã nguồn ổn định để trích dẫn)")
    doc_number: str | None
    doc_type: str | None
    title: str | None
    issued_date: str | None = Field(description="Ngày ban hành, dạng ISO YYYY-MM-DD")
    section: str
    text: str
    highlight: str = Field(description="Đoạn văn đã thoát HTML, từ khớp bọc trong <mark>")
    score: float
    status: str | None = Field(None, description="Hiệu lực theo các văn bản trong kho: con_hieu_luc | bi_sua_doi | "
                               "het_hieu_luc | het_hieu_luc_mot_phan | chua_co_hieu_luc")
    status_label: str | None = None
    in_force: bool | None = None


class SearchResponse(BaseModel):
    query: str
    total: int
    took_ms: float
    results: list[SearchResultItem]


class CitationModel(BaseModel):
    source: str
    doc_number: str | None
    title: str | None
    issued_date: str | None
    section: str
    quote: str
    reading: str | None = Field(
        default=None,
        description="Bản đọc sửa lỗi tự động của đoạn trích khi văn bản là bản quét OCR lỗi; đoạn trích giữ nguyên như bản in.",
    )
    url: str
    page: int | None = None  # printed page (PDF), when the document has pages


class AskResponse(BaseModel):
    question: str
    found: bool
    kind: str = Field(description=schema_description())
    answer: str | None
    lead: list[str]
    support: list[str]
    deadline: str | None
    citations: list[CitationModel]
    took_ms: float


class AskRequest(BaseModel):
    q: str = Field(description="Câu hỏi tiếng Việt, có hoặc không dấu", examples=["Cơ quan nào chủ trì kiểm tra công vụ?"])


class DocumentSummary(BaseModel):
    doc_id: str
    source: str
    doc_number: str | None
    doc_type: str | None
    title: str | None
    issued_date: str | None
    issuer: str | None
    signer: str | None
    passage_count: int
    task_count: int
    url: str


class TaskModel(BaseModel):
    task_id: str
    doc_id: str
    source: str
    doc_number: str | None
    origin: str
    stt: str | None
    group: str | None
    objective: str | None
    duty: str | None
    activities: str | None
    product: str | None
    lead: list[str]
    support: list[str]
    deadline: str | None
    due_date: str | None = Field(description="Ngày cuối của thời hạn (ISO), suy ra từ cách ghi; null nếu không có ngày")
    due_from: str | None = Field(None, description="Ngày đầu của khoảng thời hạn (ISO: quý, năm, 'Từ 01/7/2026'); null nếu không có")
    recurring: str | None = Field(None, description="Thời hạn lặp lại: yearly | quarterly | monthly | continuous (hằng năm, thường xuyên …)")
    section: str
    url: str


class ReferenceModel(BaseModel):
    mention: str
    doc_type: str | None
    number: str | None
    issued_date: str | None
    name: str | None
    is_basis: bool
    implements: bool = Field(description="Văn bản được thực hiện/triển khai nêu ở phần mở đầu (\"Thực hiện …\")")
    line: int
    in_corpus_doc_id: str | None = Field(description="Mã văn bản trong kho nếu văn bản được trích dẫn có trong kho")
    relations: list[str] = Field(default_factory=list, description="Loại quan hệ: can_cu, thuc_hien, huong_dan, "
                                 "sua_doi, thay_the, bai_bo, dinh_chinh, het_hieu_luc, dan_chieu")
    articles: str | None = None


class LinkedDocument(BaseModel):
    doc_id: str
    label: str
    url: str


class StatusModel(BaseModel):
    code: str
    label: str = Field(description="\"Hết hiệu lực — thay thế bởi …\", \"Còn hiệu lực theo các văn bản trong kho\" …")
    in_force: bool
    effective_date: str | None
    note: str = Field(description="Trạng thái chỉ phản ánh các văn bản trong kho")
    overridden: bool
    by: list[LinkedDocument]


class EdgeModel(BaseModel):
    type: str
    label: str
    doc_id: str | None = Field(description="Mã văn bản trong kho; null nếu không có trong kho (xem mention, number)")
    title: str | None
    display: str
    mention: str
    number: str | None
    name: str | None
    articles: str | None
    line: int
    url: str | None


class EffectModel(BaseModel):
    kind: str = Field(description="date | signing | other")
    date: str | None
    clause: str
    line: int


class RelationsResponse(BaseModel):
    doc_id: str
    status: StatusModel | None
    effect: EffectModel | None
    period: str | None
    outgoing: list[EdgeModel]
    incoming: list[EdgeModel]


class PassageModel(BaseModel):
    passage_id: str
    section: str
    text: str
    kind: str
    stt: str | None
    line_start: int
    line_end: int


class DocumentDetail(DocumentSummary):
    place: str | None
    passages: list[PassageModel]
    tasks: list[TaskModel]
    references: list[ReferenceModel]
    legal_bases: list[ReferenceModel]
    implements: list[ReferenceModel]
    status: StatusModel | None = None
    effective_date: str | None = None
    period: str | None = None


class TasksResponse(BaseModel):
    total: int
    tasks: list[TaskModel]


class Health(BaseModel):
    status: str = Field(description="ok | degraded (an older generation is served; error says why) | unavailable")
    index: str = Field(description="ready | missing | building")
    documents: int
    passages: int
    tasks: int
    model: str | None
    built_at: str | None
    building: bool
    error: str | None
    generation: str | None = Field(default=None, description="the index generation served (folder name)")


class ErrorResponse(BaseModel):
    detail: str
