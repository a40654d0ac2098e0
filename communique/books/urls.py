from django.urls import path

from . import views

app_name = "books"
urlpatterns = [
    path("portal/", views.portal, name="portal"),
    path("portal/books/new/", views.book_create, name="create"),
    path("portal/books/<uuid:book_id>/", views.book_detail, name="detail"),
    path("portal/books/<uuid:book_id>/edit/", views.book_edit, name="edit"),
    path("portal/books/<uuid:book_id>/submit/", views.book_submit, name="submit"),
    path("portal/books/<uuid:book_id>/approve/", views.book_approve, name="approve"),
    path("portal/books/<uuid:book_id>/manuscripts/new/", views.manuscript_upload, name="upload"),
    path("portal/books/<uuid:book_id>/manuscripts/<uuid:manuscript_id>/", views.manuscript_detail, name="manuscript"),
    path("portal/books/<uuid:book_id>/manuscripts/<uuid:manuscript_id>/download/", views.manuscript_download,
         name="manuscript_download"),
    path("portal/books/<uuid:book_id>/kits/new/", views.build_start, name="build_start"),
    path("portal/books/<uuid:book_id>/kits/<uuid:build_id>/", views.build_detail, name="build"),
    path("portal/books/<uuid:book_id>/kits/<uuid:build_id>/kit.zip", views.build_zip, name="build_zip"),
    path("portal/books/<uuid:book_id>/kits/<uuid:build_id>/files/<str:name>", views.build_file, name="build_file"),
]
