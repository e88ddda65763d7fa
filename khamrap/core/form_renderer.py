"""A form renderer that writes the plain widgets in Python instead of through their templates.

The plan page has some 250 inputs; Django renders each widget through three small templates (the widget,
``attrs.html``, each ``<option>``), which was most of the page's time. This renderer builds the same HTML,
character for character, for Django's own ``input``-based widgets, ``textarea`` and ``select``, and hands
every other template to Django (``tests/core/test_form_renderer.py`` compares both on every form here).
"""

import html
from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.safestring import SafeData

WIDGETS = "django/forms/widgets/"
# The widgets whose template is only ``{% include "django/forms/widgets/input.html" %}``.
INPUT_WIDGETS = (
    "input", "text", "number", "email", "url", "password", "hidden", "tel", "search", "color", "date",
    "datetime", "time", "checkbox",
)  # fmt: skip


def _escape(value: Any) -> str:
    """``{{ value }}``: Django's ``conditional_escape`` without its lazy-string wrapper (hot here)."""
    return str(value.__html__()) if hasattr(value, "__html__") else html.escape(str(value))


def _as_string(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``: safe strings stay as they are, anything else is escaped."""
    return str(value) if isinstance(value, SafeData) else html.escape(f"{value}")


def _attrs(attrs: Mapping[str, Any]) -> str:
    """``attrs.html``: ``True`` writes the bare name, ``False`` leaves the attribute out."""
    return "".join(
        f" {_escape(name)}" + ("" if value is True else f'="{_as_string(value)}"')
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: Mapping[str, Any]) -> str:
    value = "" if widget["value"] is None else f' value="{_as_string(widget["value"])}"'
    return (
        f'<input type="{_escape(widget["type"])}" name="{_escape(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>"
    )


def _textarea(widget: Mapping[str, Any]) -> str:
    value = _escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _option(option: Mapping[str, Any]) -> str:
    # The option template ends with a newline, which ``{% include %}`` keeps.
    return (
        f'<option value="{_as_string(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_escape(option['label'])}</option>\n"
    )


def _select(widget: Mapping[str, Any]) -> str:
    parts = [f'<select name="{_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _ in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_escape(group_name)}">')
        parts.extend(f"\n  {_option(option)}" for option in options)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _plain(widget: Mapping[str, Any]) -> bool:
    """Options written by Django's own option template, with labels that are text."""
    for _, options, _ in widget.get("optgroups", ()):
        for option in options:
            if option["template_name"] != WIDGETS + "select_option.html":
                return False
            if not isinstance(option["label"], (str, Promise)):
                return False  # a number would be localised by the template: leave it to Django
    return True


BUILDERS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    **dict.fromkeys((f"{WIDGETS}{name}.html" for name in INPUT_WIDGETS), _input),
    f"{WIDGETS}textarea.html": _textarea,
    f"{WIDGETS}select.html": _select,
}


class QuickRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        build = BUILDERS.get(template_name)
        if build is None or not _plain(context["widget"]):
            return super().render(template_name, context, request)
        return build(context["widget"]).strip()
