"""Each improvement item (standards.ActionItem) becomes a task of the plans app owned by the school, linked to its
criterion's assessment (standards.ImprovementTask): its text the task's title, its owner the link's `responsible`,
its due day the task's (none given: the end of the cycle's year), done → the task done. Reversible: back to one
item per link, the tasks removed."""

import datetime

from django.db import migrations

MOVED = "Đã xong (chuyển từ kế hoạch cải tiến)."


def forward(apps, schema_editor):
    ActionItem = apps.get_model("standards", "ActionItem")
    ImprovementTask = apps.get_model("standards", "ImprovementTask")
    Task = apps.get_model("plans", "Task")
    for item in ActionItem.objects.select_related("assessment__cycle").order_by("pk"):
        cycle = item.assessment.cycle
        task = Task.objects.create(
            plan=None,
            order=0,
            title=item.text,
            owner_kind="school",
            owner_school_id=cycle.school_id,
            due_on=item.due_on or datetime.date(cycle.year, 12, 31),
            status="done" if item.done else "planned",
            note=MOVED if item.done else "",
        )
        ImprovementTask.objects.create(assessment_id=item.assessment_id, task=task, responsible=item.owner)


def backward(apps, schema_editor):
    ActionItem = apps.get_model("standards", "ActionItem")
    ImprovementTask = apps.get_model("standards", "ImprovementTask")
    Task = apps.get_model("plans", "Task")
    for link in ImprovementTask.objects.select_related("task").order_by("pk"):
        ActionItem.objects.create(
            assessment_id=link.assessment_id,
            text=link.task.title[:500],
            owner=link.responsible,
            due_on=link.task.due_on,
            done=link.task.status == "done",
        )
        task_id = link.task_id
        link.delete()
        Task.objects.filter(pk=task_id).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0001_plans_signatories_targets_tasks"),
        ("standards", "0003_improvement_tasks_steering_committees"),
    ]

    operations = [migrations.RunPython(forward, backward)]
