"""The self-assessment report (báo cáo tự đánh giá) as a state-layout Word document, issued through the documents'
service (numbered in the school's register): a section per criterion — its current state, strengths, weaknesses,
improvement plan, the indicators' ratings and the level reached — and the evidence list as an annex table."""

import datetime

from django.utils.translation import gettext as _

from apps.core import statedoc
from apps.standards.models import Cycle, Evidence, ImprovementTask
from apps.standards.selectors import cycle_result


def _mark(rating) -> str:
    if rating is None:
        return _("Chưa đánh giá")
    return _("Đạt") if rating.met else _("Không đạt")


def sections_of(cycle: Cycle) -> list[statedoc.Section]:
    result = cycle_result(cycle)
    plans: dict[int, list[ImprovementTask]] = {}
    for item in ImprovementTask.objects.filter(assessment__cycle=cycle).select_related("assessment", "task"):
        plans.setdefault(item.assessment.criterion_id, []).append(item)
    evidence_of: dict[int, list[str]] = {}
    for evidence in Evidence.objects.filter(cycle=cycle).prefetch_related("criteria"):
        for criterion in evidence.criteria.all():
            evidence_of.setdefault(criterion.pk, []).append(evidence.code)
    standards: dict[int, statedoc.Section] = {}
    out = []
    for cr in result.criteria:
        standard = cr.criterion.standard
        a = cr.assessment
        paragraphs = [
            _("Mô tả hiện trạng: %(t)s") % {"t": (a.current_state if a else "") or "…"},
            _("Điểm mạnh: %(t)s") % {"t": (a.strengths if a else "") or "…"},
            _("Điểm yếu: %(t)s") % {"t": (a.weaknesses if a else "") or "…"},
            _("Kế hoạch cải tiến chất lượng: %(t)s")
            % {
                "t": "; ".join(
                    f"{p.task.title}" + (f" ({p.responsible})" if p.responsible else "") + f", {p.task.when}"
                    for p in plans.get(cr.criterion.pk, [])
                )
                or "…"
            },
            _("Minh chứng: %(t)s") % {"t": ", ".join(evidence_of.get(cr.criterion.pk, [])) or "…"},
            _("Tự đánh giá: %(t)s") % {"t": (_("Đạt mức %(n)s") % {"n": cr.level}) if cr.level else _("Không đạt")},
        ]
        table = statedoc.Table(
            columns=[_("Mức"), _("Chỉ báo"), _("Kết quả"), _("Ghi chú")],
            rows=[[str(i.level), f"{i.label}) {i.text}", _mark(r), r.note if r else ""] for i, r in cr.indicators],
        )
        section = statedoc.Section(
            heading=_("Tiêu chí %(code)s: %(text)s") % {"code": cr.criterion.code, "text": cr.criterion.text or "…"},
            paragraphs=paragraphs,
            tables=[table] if cr.indicators else [],
        )
        if standard.number not in standards:
            standards[standard.number] = statedoc.Section(
                heading=_("Tiêu chuẩn %(n)s: %(title)s") % {"n": standard.number, "title": standard.title or "…"},
                sections=[],
            )
            out.append(standards[standard.number])
        standards[standard.number].sections.append(section)
    conclusion = statedoc.Section(
        heading=_("Kết luận"),
        paragraphs=[
            _("Mức đánh giá của trường: %(level)s.") % {"level": result.level_text},
        ],
    )
    return [*out, conclusion]


def evidence_annex(cycle: Cycle) -> statedoc.Annex:
    rows = []
    for n, evidence in enumerate(Evidence.objects.filter(cycle=cycle).prefetch_related("criteria"), start=1):
        rows.append(
            [
                str(n),
                evidence.code,
                evidence.title,
                evidence.reference,
                evidence.issuer,
                ", ".join(c.code for c in evidence.criteria.all()),
            ]
        )
    return statedoc.Annex(
        title=_("DANH MỤC MINH CHỨNG"),
        tables=[
            statedoc.Table(
                columns=[
                    _("TT"),
                    _("Mã minh chứng"),
                    _("Tên minh chứng"),
                    _("Số, ngày ban hành"),
                    _("Nơi ban hành"),
                    _("Tiêu chí"),
                ],
                rows=rows,
            )
        ],
    )


def report_issue(*, actor, cycle: Cycle, on: datetime.date, signer_name: str = ""):
    """Issue the report in the school's register (the documents' service numbers and keeps it)."""
    from apps.documents import services as documents
    from apps.standards.services import _body_of

    body = _body_of(actor, cycle.school)
    summary = _("Tự đánh giá trường năm %(year)s") % {"year": cycle.year}

    def build(number_line: str, symbol_: str) -> statedoc.Document:
        return statedoc.Document(
            header=statedoc.Header(
                body=body.name.upper(), parent=body.parent_name.upper(), number=number_line, place=body.place, on=on
            ),
            title="BÁO CÁO",
            summary=summary,
            basis=[_("Căn cứ %(circular)s;") % {"circular": cycle.criteria_set.circular or cycle.criteria_set.name}],
            sections=sections_of(cycle),
            signature=statedoc.Signature(position="HIỆU TRƯỞNG", name=signer_name),
            recipients=[statedoc.Recipient(body.parent_name or _("Cơ quan quản lý"), _("để báo cáo"))],
            annexes=[evidence_annex(cycle)],
        )

    return documents.document_issue(actor=actor, body=body, kind="bao_cao", summary=summary, issued_on=on, build=build)
