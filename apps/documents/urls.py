from django.urls import path

from apps.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.body_list, name="list"),
    path("bodies/new/", views.body_create, name="body_create"),
    path("bodies/<int:pk>/", views.register, name="register"),
    path("bodies/<int:pk>/issue/", views.issue, name="issue"),
    path("bodies/<int:pk>/paper/", views.paper, name="paper"),
    path("bodies/<int:pk>/attachments/", views.attach, name="attach"),
    path("<int:pk>/document.docx", views.download_docx, name="docx"),
    path("<int:pk>/document.pdf", views.download_pdf, name="pdf"),
    path("<int:pk>/pdf/", views.pdf_make, name="pdf_make"),
    path("attachments/<int:pk>/", views.download_attachment, name="attachment"),
]
