"""A criterion's improvement items are tasks of the plans app, linked to the criterion and the indicator they
improve; the rows of the old improvement-item table moved to tasks by a data migration."""

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.core.audit import AuditEvent
from apps.plans import services as plans
from apps.plans.models import Task
from apps.standards import services
from apps.standards.models import ImprovementTask, Indicator
from apps.standards.report import sections_of


def assessment_of(cycle, standard=1, number=1):
    return cycle.assessments.select_related("criterion__standard").get(
        criterion__standard__number=standard, criterion__number=number
    )


def own_indicator(assessment):
    return Indicator.objects.filter(criterion=assessment.criterion).order_by("level", "label").first()


class TestImprovementAdd:
    def test_an_improvement_item_becomes_a_task_of_the_school_linked_to_its_criterion(self, cast, cycle):
        assessment = assessment_of(cycle)
        indicator = own_indicator(assessment)
        item = services.improvement_add(
            actor=cast.principal_a,
            assessment=assessment,
            text="Bổ sung tủ sách lớp học",
            owner="Tổ chuyên môn 1",
            due_on=datetime.date(2031, 11, 20),
            indicator=indicator,
        )
        task = Task.objects.get(pk=item.task_id)
        assert (task.title, task.owner_school, task.plan, task.due_on, task.status) == (
            "Bổ sung tủ sách lớp học",
            cast.school_a,
            None,
            datetime.date(2031, 11, 20),
            Task.Status.PLANNED,
        )
        assert (item.assessment, item.indicator, item.responsible) == (assessment, indicator, "Tổ chuyên môn 1")
        assert AuditEvent.objects.filter(action="standards.improvement_add", object_id=str(task.pk)).exists()

    def test_with_no_due_day_the_task_is_due_at_the_end_of_the_cycle_s_year(self, cast, cycle):
        item = services.improvement_add(actor=cast.principal_a, assessment=assessment_of(cycle), text="Sửa mái")
        assert item.task.due_on == datetime.date(cycle.year, 12, 31)

    def test_its_progress_moves_through_the_plans_task_service_and_shows_on_the_criterion_page(
        self, cast, client_for, cycle
    ):
        assessment = assessment_of(cycle)
        item = services.improvement_add(actor=cast.principal_a, assessment=assessment, text="Mua thêm bàn ghế")
        plans.task_set_status(actor=cast.principal_a, task=item.task, status=Task.Status.DONE, note="Đã mua 20 bộ")
        page = client_for(cast.teacher_a).get(reverse("standards:assessment", args=[assessment.pk])).content.decode()
        assert "Mua thêm bàn ghế" in page and "Đã hoàn thành" in page
        assert reverse("plans:task", args=[item.task_id]) in page
        # the school's staff find it among their tasks too
        assert client_for(cast.teacher_a).get(reverse("plans:task", args=[item.task_id])).status_code == 200
        assert client_for(cast.teacher_b).get(reverse("plans:task", args=[item.task_id])).status_code == 404

    def test_an_indicator_of_another_criterion_is_refused(self, cast, cycle):
        assessment = assessment_of(cycle)
        other = own_indicator(assessment_of(cycle, 1, 2))
        with pytest.raises(ValidationError, match="không thuộc tiêu chí"):
            services.improvement_add(actor=cast.principal_a, assessment=assessment, text="x", indicator=other)
        assert not Task.objects.filter(title="x").exists()

    def test_a_teacher_not_assigned_the_criterion_adds_nothing(self, cast, cycle):
        with pytest.raises(PermissionDenied):
            services.improvement_add(actor=cast.teacher_a, assessment=assessment_of(cycle), text="Không được")
        assert not Task.objects.filter(title="Không được").exists()

    def test_the_report_lists_the_item_under_its_criterion(self, cast, cycle):
        assessment = assessment_of(cycle)
        services.improvement_add(actor=cast.principal_a, assessment=assessment, text="Tập huấn giáo viên", owner="BGH")
        section = next(s for s in sections_of(cycle)[0].sections if s.heading.startswith("Tiêu chí 1.1"))
        assert any("Tập huấn giáo viên (BGH)" in p for p in section.paragraphs)


class TestLinkControl:
    def test_the_page_control_links_an_item_to_an_indicator_and_the_change_is_audited(self, cast, client_for, cycle):
        assessment = assessment_of(cycle)
        item = services.improvement_add(actor=cast.principal_a, assessment=assessment, text="Lát sân")
        indicator = own_indicator(assessment)
        client = client_for(cast.principal_a)
        page = client.get(reverse("standards:assessment", args=[assessment.pk])).content.decode()
        assert reverse("standards:improvement_link", args=[item.pk]) in page
        response = client.post(reverse("standards:improvement_link", args=[item.pk]), {"indicator": indicator.pk})
        assert response.status_code == 302
        item.refresh_from_db()
        assert item.indicator == indicator
        event = AuditEvent.objects.get(action="standards.improvement_link", object_id=str(item.task_id))
        assert event.changes["indicator"] == ["", str(indicator)]
        client.post(reverse("standards:improvement_link", args=[item.pk]), {"indicator": ""})
        item.refresh_from_db()
        assert item.indicator is None

    def test_out_of_scope_answers_404_and_read_only_403(self, cast, client_for, cycle):
        assessment = assessment_of(cycle)
        item = services.improvement_add(actor=cast.principal_a, assessment=assessment, text="Lát sân")
        url = reverse("standards:improvement_link", args=[item.pk])
        data = {"indicator": own_indicator(assessment).pk}
        assert client_for(cast.teacher_b).post(url, data).status_code == 404
        assert client_for(cast.teacher_a).post(url, data).status_code == 403
        item.refresh_from_db()
        assert item.indicator is None


class _Rows:
    """The old improvement-item table as the data migration reads it."""

    def __init__(self, rows):
        self.rows, self.created = rows, []

    def select_related(self, *args):
        return self

    def order_by(self, *args):
        return self.rows

    def create(self, **fields):
        self.created.append(fields)


class TestDataMigration:
    migration = importlib.import_module("apps.standards.migrations.0004_action_items_to_tasks")

    def _apps(self, old):
        models = {"ActionItem": SimpleNamespace(objects=old), "ImprovementTask": ImprovementTask, "Task": Task}
        return SimpleNamespace(get_model=lambda app, name: models.get(name) or django_apps.get_model(app, name))

    def test_every_old_item_moves_to_a_task_with_its_text_owner_due_day_and_done_mark(self, cast, cycle):
        assessment = assessment_of(cycle)
        old = _Rows(
            [
                SimpleNamespace(
                    assessment=assessment,
                    assessment_id=assessment.pk,
                    text="Xây bể nước",
                    owner="Kế toán",
                    due_on=datetime.date(2031, 6, 30),
                    done=True,
                ),
                SimpleNamespace(
                    assessment=assessment,
                    assessment_id=assessment.pk,
                    text="Mua máy chiếu",
                    owner="",
                    due_on=None,
                    done=False,
                ),
            ]
        )
        self.migration.forward(self._apps(old), None)
        moved = list(ImprovementTask.objects.filter(assessment=assessment).select_related("task").order_by("pk"))
        assert [(m.task.title, m.responsible, m.task.due_on, m.task.status, m.task.owner_school) for m in moved] == [
            ("Xây bể nước", "Kế toán", datetime.date(2031, 6, 30), "done", cast.school_a),
            ("Mua máy chiếu", "", datetime.date(cycle.year, 12, 31), "planned", cast.school_a),
        ]
        back = _Rows([])
        self.migration.backward(self._apps(back), None)
        assert [(r["text"], r["owner"], r["done"]) for r in back.created] == [
            ("Xây bể nước", "Kế toán", True),
            ("Mua máy chiếu", "", False),
        ]
        assert not ImprovementTask.objects.filter(assessment=assessment).exists()
        assert not Task.objects.filter(title__in=["Xây bể nước", "Mua máy chiếu"]).exists()
