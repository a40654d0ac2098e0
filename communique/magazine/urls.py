from django.urls import path

from . import views

app_name = "magazine"

urlpatterns = [
    path("authors/<slug:slug>/", views.author, name="author"),
    path("tags/<str:slug>/", views.tag, name="tag"),
    path("search/", views.search, name="search"),
    path("publish/", views.publish_with_us, name="publish"),
]
