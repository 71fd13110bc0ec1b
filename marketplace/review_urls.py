"""Reviews, under /reviews/: a family's review of an order, the provider's list and reply, and the
council's queue, its CSV and its publish and hide steps."""

from django.urls import path

from marketplace.views import reviews

urlpatterns: list = [
    path("reviews/orders/<uuid:order_public_id>/new/", reviews.review_submit, name="review-submit"),
    path("reviews/yours/", reviews.provider_reviews, name="reviews-provider"),
    path("reviews/council/", reviews.moderation_queue, name="reviews-council"),
    path("reviews/council/export.csv", reviews.moderation_export, name="reviews-council-export"),
    path("reviews/council/<uuid:public_id>/", reviews.review_moderate, name="review-moderate"),
    path("reviews/council/<uuid:public_id>/publish/", reviews.review_publish, name="review-publish"),
    path("reviews/council/<uuid:public_id>/hide/", reviews.review_hide, name="review-hide"),
    path("reviews/<uuid:public_id>/", reviews.review_detail, name="review"),
    path("reviews/<uuid:public_id>/reply/", reviews.reply_submit, name="review-reply"),
]
