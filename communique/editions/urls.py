from django.urls import path

from . import views

app_name = "editions"
urlpatterns = [
    path("editions/issue/<int:page_id>/<str:fmt>/", views.issue_download, name="issue_download"),
    path("editions/article/<int:page_id>/<str:fmt>/", views.article_download, name="article_download"),
]
