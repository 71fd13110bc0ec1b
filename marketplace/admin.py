"""Shortlists, orders, invoices, block contracts and one-off purchases in the records admin: read-only, for
answering a question about what was saved, shared, ordered or paid. Changes go through the pages and
services (and their audit rows), never through here."""

from django.contrib import admin
from django.http import HttpRequest

from marketplace.models import (
    BlockContract,
    CreditNote,
    DeliveryRecord,
    Invoice,
    InvoiceLine,
    InvoiceStatusChange,
    OneOffPurchase,
    Order,
    OrderChange,
    OrderStatusChange,
    Shortlist,
    ShortlistItem,
    ShortlistShare,
)


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


# --- Orders and invoices: read-only; every change goes through marketplace.services (audited, and in step
# with the ledger). ----------------------------------------------------------------------------------


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class OrderStatusChangeInline(_ReadOnlyInline):
    model = OrderStatusChange


class OrderChangeInline(_ReadOnlyInline):
    model = OrderChange
    fk_name = "order"


class DeliveryRecordInline(_ReadOnlyInline):
    model = DeliveryRecord


@admin.register(Order)
class OrderAdmin(_ReadOnly):
    list_display = ["description", "person", "provider_organisation", "personal_assistant", "status", "placed_at"]
    list_filter = ["status"]
    search_fields = ["public_id", "description", "person__last_name", "provider_organisation__name"]
    inlines = [OrderChangeInline, DeliveryRecordInline, OrderStatusChangeInline]


class InvoiceLineInline(_ReadOnlyInline):
    model = InvoiceLine


class CreditNoteInline(_ReadOnlyInline):
    model = CreditNote


class InvoiceStatusChangeInline(_ReadOnlyInline):
    model = InvoiceStatusChange


@admin.register(Invoice)
class InvoiceAdmin(_ReadOnly):
    list_display = ["number", "provider_organisation", "personal_assistant", "total", "status", "submitted_at"]
    list_filter = ["status"]
    search_fields = ["number", "public_id", "provider_organisation__name"]
    inlines = [InvoiceLineInline, CreditNoteInline, InvoiceStatusChangeInline]


@admin.register(BlockContract)
class BlockContractAdmin(_ReadOnly):
    list_display = ["reference", "council", "provider_organisation", "personal_assistant", "units_purchased", "unit"]
    search_fields = ["reference", "provider_organisation__name"]


@admin.register(OneOffPurchase)
class OneOffPurchaseAdmin(_ReadOnly):
    list_display = ["description", "person", "supplier_name", "amount", "kind", "status", "requested_at"]
    list_filter = ["status", "kind"]
    search_fields = ["description", "supplier_name", "person__last_name"]
