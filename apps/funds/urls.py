from django.urls import path

from apps.funds import views

app_name = "funds"
urlpatterns = [
    path("", views.fund_list, name="list"),
    path("new/", views.fund_create, name="create"),
    path("<int:pk>/", views.fund_detail, name="detail"),
    path("<int:pk>/donations/new/", views.donation_new, name="donation_new"),
    path("<int:pk>/payouts/new/", views.payout_new, name="payout_new"),
    path("<int:pk>/plans/new/", views.plan_new, name="plan_new"),
    path("<int:pk>/pledges/new/", views.pledge_new, name="pledge_new"),
    path("<int:pk>/targets/", views.target_set, name="target_set"),
    path("<int:pk>/report.xlsx", views.fund_report, name="report"),
    path("entries/<int:pk>/correct/", views.entry_correct, name="entry_correct"),
    path("payouts/", views.payout_list, name="payouts"),
    path("payouts/<int:pk>/", views.payout_detail, name="payout"),
    path("payouts/<int:pk>/children/", views.payout_children, name="payout_children"),
    path("donations/", views.donation_list, name="donations"),
    path("donations/<int:pk>/letter.docx", views.donation_letter, name="letter"),
    path("donors/", views.donor_list, name="donors"),
    path("plans/", views.plan_list, name="plans"),
    path("pledges/", views.pledge_list, name="pledges"),
    path("public/school/<int:pk>/", views.public_school, name="public_school"),
    path("public/unit/<int:pk>/", views.public_unit, name="public_unit"),
]
