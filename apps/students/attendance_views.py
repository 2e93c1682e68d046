"""The class pages of attendance and results: a teacher's classes, the month absence grid (each cell saved as it
is chosen, so a phone sends one small request per tap) and the semester results form."""

import datetime
import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.scoping import CHANGE, VIEW
from apps.schools.models import SchoolYear
from apps.schools.selectors import default_year
from apps.students import attendance
from apps.students.records import record_classes, scale_for
from apps.students.site import may_open_students

CELL = re.compile(r"^m-(\d{1,18})-(\d{4}-\d{2}-\d{2})$")


@login_required
def class_list(request):
    """The classes whose register the user keeps or reads, for a school year."""
    if not may_open_students(request.user):
        raise PermissionDenied
    years = SchoolYear.objects.restrict(request.user, VIEW).order_by("-start_year")
    chosen = request.GET.get("year", "")
    year = (years.filter(pk=chosen).first() if chosen.isdigit() and len(chosen) < 10 else None) or default_year(years)
    classes = (
        record_classes(request.user, VIEW).filter(year=year).select_related("school").order_by("school__name", "name")
        if year
        else []
    )
    writable = (
        set(record_classes(request.user, CHANGE).filter(year=year).values_list("pk", flat=True)) if year else set()
    )
    rows = [(group, group.pk in writable) for group in classes[:500]]
    return render(request, "students/classes.html", {"rows": rows, "years": years, "year": year})


def _context(request, group, first, **extra):
    grid = attendance.month_grid(request.user, group, first)
    writable = record_classes(request.user, CHANGE).filter(pk=group.pk).exists()
    return {"group": group, "writable": writable, **grid, **extra}


@login_required
def absence_grid(request, pk: int):
    """The class's month of absences: a row per student, a cell per day (P: excused, K: unexcused)."""
    group = attendance.class_for_records(request.user, pk)
    first = attendance.parse_month(request.GET.get("month", ""), group.year)
    return render(request, "students/absences.html", _context(request, group, first))


@login_required
@require_POST
def absence_cell(request, pk: int):
    """One cell of the grid ("m-<enrolment>-<yyyy-mm-dd>" = "", "P" or "K"): saved at once; answers the cell as
    saved, with the row's name (and any refusal) and totals out of band. Only the chosen cell is swapped, so a cell
    chosen while another of the row is on its way is not overwritten; the row's sends are queued, so the totals
    come back in order."""
    group = attendance.class_for_records(request.user, pk, CHANGE)
    cells = [(key, value) for key, value in request.POST.items() if key.startswith("m-")]
    if len(cells) != 1 or not (match := CELL.match(cells[0][0])):
        return HttpResponseBadRequest(_("Hãy chọn một ô của sổ điểm danh."))
    try:
        day = datetime.date.fromisoformat(match[2])
    except ValueError:
        return HttpResponseBadRequest(_("Ngày không hợp lệ."))
    enrolment_id, mark = int(match[1]), cells[0][1].strip().upper()
    error = ""
    try:
        attendance.absences_record(actor=request.user, class_group=group, marks={(enrolment_id, day): mark})
    except ValidationError as exc:
        error = " ".join(exc.messages)
    grid = _context(request, group, day.replace(day=1))
    row = next((r for r in grid["rows"] if r.enrolment.pk == enrolment_id), None)
    cell = next((c for c in row.cells if c.day == day), None) if row else None
    if cell is None:
        return HttpResponseBadRequest(error or _("Học sinh không thuộc lớp này."))
    response = render(
        request, "students/absences.html#answer", {**grid, "row": row, "cell": cell, "error": error, "oob": True}
    )
    if error:
        response.status_code = 200  # the name cell says what was refused; htmx swaps it in
    return response


@login_required
def result_form(request, pk: int):
    """A semester's results of the class: learning and conduct per student on the grade's scale."""
    group = attendance.class_for_records(request.user, pk)
    scale = scale_for(group.grade)
    semester = 2 if request.GET.get("semester") == "2" else 1
    if request.method == "POST":
        group = attendance.class_for_records(request.user, pk, CHANGE)
        semester = 2 if request.POST.get("semester") == "2" else 1
        results, bad = {}, False
        for key, value in request.POST.items():
            if m := re.match(r"^(learning|conduct)-(\d{1,18})$", key):
                pair = results.setdefault(int(m[2]), ["", ""])
                pair[0 if m[1] == "learning" else 1] = value.strip()
            elif key not in ("csrfmiddlewaretoken", "semester"):
                bad = True
        if bad or not results:
            return HttpResponseBadRequest(_("Biểu mẫu kết quả học kỳ không hợp lệ."))
        try:
            counts = attendance.results_record(
                actor=request.user,
                class_group=group,
                semester=semester,
                results={k: tuple(v) for k, v in results.items()},
            )
        except ValidationError as exc:
            rows = attendance.result_rows(request.user, group, semester)
            ctx = {"group": group, "rows": rows, "scale": scale, "semester": semester, "errors": exc.messages}
            return render(request, "students/results.html", {**ctx, "writable": True}, status=400)
        from django.contrib import messages

        messages.success(
            request, _("Đã lưu kết quả: %(c)s mới, %(u)s sửa.") % {"c": counts["created"], "u": counts["changed"]}
        )
        return redirect(f"{request.path}?semester={semester}")
    rows = attendance.result_rows(request.user, group, semester) if scale else []
    writable = record_classes(request.user, CHANGE).filter(pk=group.pk).exists()
    return render(
        request,
        "students/results.html",
        {"group": group, "rows": rows, "scale": scale, "semester": semester, "writable": writable, "errors": []},
    )
