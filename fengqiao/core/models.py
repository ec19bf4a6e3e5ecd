"""Models of the project's infrastructure (no domain app): the scheduler's periodic jobs."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodicJob(models.Model):
    """One periodic job of the scheduler; a tick is claimed by moving ``next_run_at`` forward
    with a conditional UPDATE, so that two workers (or a restarted one) never run it twice."""

    name = models.CharField(_("名称"), max_length=64, unique=True)
    task_path = models.CharField(_("任务"), max_length=200)
    interval_seconds = models.PositiveIntegerField(_("间隔（秒）"))
    next_run_at = models.DateTimeField(_("下次运行"))
    last_run_at = models.DateTimeField(_("上次运行"), null=True, blank=True)
    last_claimed_by = models.CharField(max_length=64, blank=True)
    is_enabled = models.BooleanField(_("启用"), default=True)

    class Meta:
        # The table the model had when it lived in deadlines: existing databases keep their
        # rows (core/migrations/0001 and deadlines/migrations/0003 move only the state).
        db_table = "deadlines_periodicjob"
        verbose_name = _("定时任务")
        verbose_name_plural = _("定时任务")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
