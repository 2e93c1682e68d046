from django.urls import path

from apps.standards import committee_views, views

app_name = "standards"
urlpatterns = [
    path("", views.index, name="index"),
    path("status.xlsx", views.status_export, name="status_export"),
    path("sets/", views.set_list, name="sets"),
    path("sets/<int:pk>/", views.set_page, name="set"),
    path("sets/<int:pk>/text/", views.set_text, name="set_text"),
    path("sets/<int:pk>/verify/", views.set_verify, name="set_verify"),
    path("schools/<int:pk>/", views.school_page, name="school"),
    path("schools/<int:pk>/cycle/", views.cycle_start, name="cycle_start"),
    path("schools/<int:pk>/target/", views.target_set, name="target_set"),
    path("schools/<int:pk>/items/", views.item_create, name="item_create"),
    path("schools/<int:pk>/recognition/", views.recognition_record, name="recognition_record"),
    path("cycles/<int:pk>/", views.cycle_page, name="cycle"),
    path("cycles/<int:pk>/rate/", views.rate, name="rate"),
    path("cycles/<int:pk>/members/", views.member_add, name="member_add"),
    path("cycles/<int:pk>/assign/", views.assign, name="assign"),
    path("cycles/<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("cycles/<int:pk>/evidence/use/", views.evidence_use, name="evidence_use"),
    path("cycles/<int:pk>/close/", views.cycle_close, name="cycle_close"),
    path("cycles/<int:pk>/report/", views.report, name="report"),
    path("assessments/<int:pk>/", views.assessment_page, name="assessment"),
    path("assessments/<int:pk>/plan/", views.plan_item_add, name="plan_item_add"),
    path("roadmap/", views.roadmap_page, name="roadmap"),
    path("roadmap.xlsx", views.roadmap_export, name="roadmap_export"),
    path("items/<int:pk>/", views.item_page, name="item"),
    path("items/<int:pk>/progress/", views.item_progress, name="item_progress"),
    path("items/<int:pk>/funding/", views.funding_add, name="funding_add"),
    path("items/<int:pk>/payout/", views.funding_payout, name="funding_payout"),
    path("items/<int:pk>/photos/", views.photo_add, name="photo_add"),
    path("recognitions/", views.recognitions, name="recognitions"),
    # improvement items as tasks, the steering committees
    path("improvements/<int:pk>/indicator/", views.improvement_link, name="improvement_link"),
    path("committees/", committee_views.committee_list, name="committees"),
    path("committees/new/", committee_views.committee_create, name="committee_create"),
    path("committees/<int:pk>/", committee_views.committee_page, name="committee"),
    path("committees/<int:pk>/members/", committee_views.member_add, name="committee_member_add"),
    path("committees/<int:pk>/duties/", committee_views.duty_add, name="committee_duty_add"),
    path("committees/<int:pk>/inspections/", committee_views.inspection_add, name="committee_inspection_add"),
]
