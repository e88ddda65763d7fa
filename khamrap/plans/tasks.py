"""Background work of the plans app, run by ``khamrap db_worker`` (django-tasks, database backend)."""

from django_tasks import task

from khamrap.plans.workbook_services import bulk_import_process


@task()
def bulk_import_run(bulk_import_id: int) -> None:
    """Import every workbook of an administrator's zip (see ``workbook_services.bulk_import_process``)."""
    bulk_import_process(bulk_import_id=bulk_import_id)
