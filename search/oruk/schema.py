"""How the open API's serializers appear in the project's OpenAPI document (drf-spectacular).

``OpenReferralSerializer`` leaves out empty values, so a field it may leave out (``may_be_left_out``) is
not in the document's ``required`` list; every other field always appears.
"""

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerExtension


class OpenReferralSerializerSchema(OpenApiSerializerExtension):
    target_class = "search.oruk.serializers.OpenReferralSerializer"
    match_subclasses = True

    def map_serializer(self, auto_schema: Any, direction: str) -> dict:
        schema = auto_schema._map_basic_serializer(self.target, direction)
        optional = self.target.may_be_left_out
        required = [name for name in schema.get("required", []) if name not in optional]
        if required:
            schema["required"] = required
        else:
            schema.pop("required", None)
        return schema
