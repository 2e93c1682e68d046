"""What a plan says, as data: the content its parties agree to (hashed: any edit changes the hash and voids the
agreements), the differences between two versions, and the state-layout document (`apps.core.statedoc`) it is
issued as — headings, the month table ("10+11/2025" in one row), the parties' signatures side by side with their
stacked prefixes, the confirming block, recipients with "Lưu: VT" last, annexes."""

import hashlib
import json

from apps.core import doctemplate, statedoc
from apps.plans.progress import SYMBOLS

SECTIONS = (
    ("purposes", "MỤC ĐÍCH, YÊU CẦU"),
    ("contents", "NỘI DUNG VÀ GIẢI PHÁP"),
    ("targets_text", "CHỈ TIÊU"),
    ("organisation_text", "TỔ CHỨC THỰC HIỆN"),
    ("reporting", "CHẾ ĐỘ BÁO CÁO"),
)


def _blocks(text: str) -> list[str]:
    """Paragraphs of a section's text: one per non-empty line."""
    return [doctemplate.clean(line.strip()) for line in (text or "").replace("\r\n", "\n").split("\n") if line.strip()]


def target_text(target) -> str:
    goal = ""
    if target.value is not None:
        goal = f" ({SYMBOLS.get(target.comparison, target.comparison or '≥')} {target.value.normalize():f})"
    return f"{target.label}{goal}"


def content(plan) -> dict:
    """The plan's agreed content (what a party signs): never its status, progress or assessments."""
    return {
        "kind": plan.kind,
        "title": plan.title,
        "period": [f"{plan.period_start}", f"{plan.period_end}"],
        "school_year": plan.school_year_id,
        "implements": plan.implements_id,
        "implements_text": plan.implements_text,
        "basis": list(plan.basis),
        **{key: getattr(plan, key) for key, _h in SECTIONS},
        "annexes": list(plan.annexes),
        "recipients": list(plan.recipients),
        "confirming_unit": plan.confirming_unit_id,
        "body": plan.body_id,  # the issuing body printed in the header
        "signatories": [[s.order, s.role, s.party, s.title, s.name, list(s.prefixes)] for s in plan.signatories.all()],
        "targets": [
            [t.label, t.mode, t.indicator, t.level, t.link_kind, t.link_id, t.comparison, str(t.value)]
            for t in plan.targets.all()
        ],
        "tasks": [[t.title, t.owner_label, t.when] for t in plan.tasks.order_by("due_on", "order", "pk")],
    }


def content_hash(plan) -> str:
    raw = json.dumps(content(plan), ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


LABELS = {
    "kind": "Loại kế hoạch",
    "title": "Trích yếu",
    "period": "Thời gian thực hiện",
    "school_year": "Năm học",
    "implements": "Thực hiện kế hoạch",
    "implements_text": "Thực hiện văn bản",
    "basis": "Căn cứ",
    "purposes": "Mục đích, yêu cầu",
    "contents": "Nội dung và giải pháp",
    "targets_text": "Chỉ tiêu (lời dẫn)",
    "organisation_text": "Tổ chức thực hiện",
    "reporting": "Chế độ báo cáo",
    "annexes": "Phụ lục",
    "recipients": "Nơi nhận",
    "confirming_unit": "Đơn vị xác nhận",
    "body": "Cơ quan ban hành",
    "signatories": "Các bên ký",
    "targets": "Chỉ tiêu",
    "tasks": "Hoạt động",
}


def _lines(key, value) -> list[str]:
    if key == "tasks":
        return [f"{when}: {title} — {owner}" for title, owner, when in value]
    if key == "targets":
        return [f"{row[0]} {row[6]} {row[7]}".strip() for row in value]
    if key == "signatories":
        return [" / ".join(x for x in [row[2], *row[5], row[3], row[4]] if x) for row in value]
    if key == "annexes":
        return [f"{a.get('title', '')}: {a.get('text', '')}" for a in value]
    if key == "recipients":
        return [f"{r.get('name', '')} ({r.get('purpose', '')})" for r in value]
    if key == "basis":
        return list(value)
    if key in dict(SECTIONS):
        return _blocks(value)
    if key == "body":
        from apps.documents.models import IssuingBody

        found = IssuingBody.objects.filter(pk=value).first()
        return [f"{found.name} ({found.abbreviation})" if found else str(value)]
    return [str(value)]


def differences(old, new) -> list[dict]:
    """What an amendment changes: for each part that differs, its label and the lines removed and added."""
    a, b = content(old), content(new)
    out = []
    for key, label in LABELS.items():
        if a.get(key) == b.get(key):
            continue
        before, after = _lines(key, a.get(key)), _lines(key, b.get(key))
        out.append(
            {
                "key": key,
                "label": label,
                "removed": [x for x in before if x not in after],
                "added": [x for x in after if x not in before],
            }
        )
    return out


def schedule_table(plan) -> statedoc.Table:
    rows = []
    for task in plan.tasks.order_by("due_on", "order", "pk"):
        rows.append([task.when, doctemplate.clean(task.title), doctemplate.clean(task.owner_label), ""])
    return statedoc.Table(
        columns=["Thời gian", "Nội dung công việc", "Người, đơn vị thực hiện", "Ghi chú"],
        rows=rows,
        widths_mm=[25, 80, 40, 20],
    )


def signature(s) -> statedoc.Signature:
    return statedoc.Signature(
        position=doctemplate.clean(s.title),
        name=doctemplate.clean(s.name),
        prefixes=tuple(doctemplate.clean(p) for p in s.prefixes if p.strip()),
        label=doctemplate.clean(s.party),
    )


def document(plan, number_line: str, symbol: str, *, on, replaces: str = "") -> statedoc.Document:
    """The plan as a state-layout document, numbered `number_line` ("Số: 07/KH-THTN")."""
    sections = []
    for key, heading in SECTIONS:
        paragraphs = _blocks(getattr(plan, key))
        tables = []
        if key == "targets_text":
            paragraphs += [f"- {target_text(t)}" for t in plan.targets.all()]
        if key == "organisation_text" and plan.tasks.exists():
            tables.append(schedule_table(plan))
        if paragraphs or tables:
            sections.append(statedoc.Section(heading=heading, paragraphs=paragraphs, tables=tables))
    summary = doctemplate.clean(plan.title)
    if replaces:
        summary = f"{summary} (thay thế Kế hoạch số {replaces})"
    signers = [signature(s) for s in plan.signatories.all() if s.role == s.Role.SIGN]
    confirm = next((s for s in plan.signatories.all() if s.role == s.Role.CONFIRM), None)
    annexes = [
        statedoc.Annex(
            title=doctemplate.clean(a.get("title", "")),
            summary=f"(Kèm theo Kế hoạch số {symbol} ngày {on:%d/%m/%Y})" if symbol else "",
            paragraphs=_blocks(a.get("text", "")),
        )
        for a in plan.annexes
    ]
    body = plan.body
    return statedoc.Document(
        header=statedoc.Header(body=body.name, parent=body.parent_name, number=number_line, place=body.place, on=on),
        title="KẾ HOẠCH",
        summary=summary,
        basis=[doctemplate.clean(b) for b in plan.basis if b.strip()],
        paragraphs=[doctemplate.clean(plan.implements_text)] if plan.implements_text else [],
        sections=sections,
        signatures=signers,
        confirmation=signature(confirm) if confirm else None,
        recipients=[
            statedoc.Recipient(doctemplate.clean(r.get("name", "")), doctemplate.clean(r.get("purpose", "")))
            for r in plan.recipients
            if r.get("name")
        ],
        annexes=annexes,
    )
