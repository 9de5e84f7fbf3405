"""The serialization format of backups: Django's JSON Lines with sealed fields.

A model field that keeps personal data encrypted at rest (``seal``/``unseal`` methods,
as the membership form's encrypted fields have) is written as its sealed token, not as
the plain text Django's serializers would write, and opened again when loaded: a backup
holds the applicants' data as encrypted as the database does, and a restore needs the
same key. Registered as ``backupjsonl`` in ``SERIALIZATION_MODULES``.
"""

from django.core.serializers import jsonl
from django.core.serializers.base import DeserializationError


def sealed_fields(model):
    """Return the concrete fields of ``model`` that are sealed in a backup."""
    return [field for field in model._meta.concrete_fields if hasattr(field, "seal")]


# Rows keep their primary keys; only references to what every site makes for itself in
# its migrations (content types, permissions) are written by natural key, because those
# are numbered differently from one database to the next.
NATURAL = {"contenttypes.contenttype", "auth.permission"}


def _natural(field):
    return field.remote_field.model._meta.label_lower in NATURAL


class Serializer(jsonl.Serializer):
    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = _natural(field)
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self.use_natural_foreign_keys = _natural(field)
        super().handle_m2m_field(obj, field)

    def handle_field(self, obj, field):
        if hasattr(field, "seal"):
            value = field.value_from_object(obj)
            self._current[field.name] = None if value is None else field.seal(value)
        else:
            super().handle_field(obj, field)


class Deserializer(jsonl.Deserializer):
    _sealed = {}

    def _handle_object(self, obj):
        model = self._get_model_from_node(obj["model"])
        if model not in self._sealed:
            self._sealed[model] = [field.name for field in sealed_fields(model)]
        fields = obj.get("fields", {})
        for name in self._sealed[model]:
            if fields.get(name) is not None:
                try:
                    fields[name] = model._meta.get_field(name).unseal(fields[name])
                except Exception as exc:
                    raise DeserializationError(
                        f"{obj['model']} {obj.get('pk')}: {name} cannot be opened: {exc}"
                    ) from exc
        yield from super()._handle_object(obj)
