"""Shortlists in the records admin: read-only, for answering a family's question about what they saved or
shared. Changes go through the pages (and their audit rows), never through here."""

from django.contrib import admin
from django.http import HttpRequest

from marketplace.models import Shortlist, ShortlistItem, ShortlistShare


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ShortlistItemInline(admin.TabularInline):
    model = ShortlistItem
    fields = ["offer", "added_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Shortlist)
class ShortlistAdmin(_ReadOnly):
    list_display = ["owner", "created_at"]
    search_fields = ["owner__email", "owner__last_name"]
    readonly_fields = ["public_id", "owner", "created_at"]
    inlines = [ShortlistItemInline]


@admin.register(ShortlistShare)
class ShortlistShareAdmin(_ReadOnly):
    list_display = ["shortlist", "recipient", "created_at", "stopped_at"]
    list_filter = ["stopped_at"]
    search_fields = ["recipient__email", "shortlist__owner__email"]
    readonly_fields = ["public_id", "shortlist", "recipient", "recipient_membership", "created_at", "stopped_at"]
