import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carbon_portal.settings.embedded")
# Tesseract starts many threads per call; workers parallelise by page instead.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

app = Celery("carbon_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _freeze_after_start(**kwargs):
    from carbon_portal.startup import freeze_loaded_objects

    freeze_loaded_objects()
