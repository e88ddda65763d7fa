from django.apps import AppConfig


class WorkbookConfig(AppConfig):
    """The Excel "data disk": layout, writer, reader, guard, importer, bulk import and its task."""

    name = "khamrap.workbook"
    label = "workbook"
