from django.urls import path

from . import views

app_name = "research"
urlpatterns = [
    path("entity/<int:pk>-<slug:slug>/", views.entity, name="entity"),
    path("entity/<int:pk>/timeline.json", views.entity_timeline_export, name="entity_timeline_json"),
    path("timeline/<int:a>/<int:b>/", views.timeline, name="timeline"),
    path("timeline/<int:a>/<int:b>/timeline.json", views.timeline_export, name="timeline_json"),
    path("export/<str:what>.<str:fmt>", views.export, name="export"),
]
