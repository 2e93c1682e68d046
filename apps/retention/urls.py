from django.urls import include, path

from apps.retention import views

app_name = "retention"
urlpatterns = [
    path("", views.at_risk_list, name="list"),
    path("rules/", views.rules_edit, name="rules"),
    path("visits/overdue/", views.overdue_list, name="overdue"),
    path("enrolments/<int:pk>/visit/", views.visit_new, name="visit_new"),
    path("enrolments/<int:pk>/notes/", views.note_new, name="note_new"),
    path("enrolments/<int:pk>/mentor/", views.mentor_new, name="mentor_new"),
    path("mentors/", views.mentor_list, name="mentors"),
    path("mentorships/<int:pk>/", views.mentorship_detail, name="mentorship"),
    path("mentorships/<int:pk>/notes/", views.mentorship_note_new, name="mentorship_note_new"),
    path("mentorships/<int:pk>/end/", views.mentorship_end, name="mentorship_end"),
    path("classes/<int:pk>/pairs/", views.peer_pairs, name="peer_pairs"),
    path("pairs/<int:pk>/end/", views.peer_pair_end, name="peer_pair_end"),
]
urlpatterns.append(path("", include("apps.retention.case_urls")))  # dropout cases and the hotline (issue 17)
