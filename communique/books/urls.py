from django.urls import path

from . import portal_views, views

app_name = "books"
urlpatterns = [
    path("portal/", views.portal, name="portal"),
    path("portal/books/new/", views.book_create, name="create"),
    path("portal/authors/", portal_views.author_invitations, name="invitations"),
    path("portal/authors/invitations/<int:pk>/withdraw/", portal_views.invitation_revoke, name="invitation_revoke"),
    path("portal/invitation/<str:token>/", portal_views.invitation_accept, name="invitation"),
    path("portal/exchange-rates/", portal_views.exchange_rates, name="rates"),
    path("portal/books/<uuid:book_id>/preview/", portal_views.book_preview, name="preview"),
    path("portal/books/<uuid:book_id>/preview/book.html", portal_views.book_preview_frame, name="preview_frame"),
    path("portal/books/<uuid:book_id>/cover/", portal_views.book_cover, name="cover"),
    path("portal/books/<uuid:book_id>/cover/file", portal_views.book_cover_file, name="cover_file"),
    path("portal/books/<uuid:book_id>/prices/", portal_views.book_prices, name="prices"),
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
