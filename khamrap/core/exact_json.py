"""Django's JSON serialization format, keeping times to the microsecond (Django's own encoder cuts them to the
millisecond), so a backup restores every timestamp exactly as it was. Registered as the ``json`` format in
settings (``SERIALIZATION_MODULES``): ``dumpdata``, ``loaddata`` and ``khamrap backup`` use it."""

import datetime
from typing import Any

from django.core.serializers import json
from django.core.serializers.json import DjangoJSONEncoder

Deserializer = json.Deserializer


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(json.Serializer):
    def _init_options(self) -> None:
        self.options.setdefault("cls", ExactEncoder)
        super()._init_options()  # type: ignore[misc]
