"""Worker failures said in one line, wherever the worker ran.

Textual posts `Worker.StateChanged` to the widget or screen that started the worker and
does not bubble it, so the App's handler never hears of a screen's or a pane's failed
worker: an export to a full disk or a failing load said nothing. Every class that starts
workers takes this mixin, which hands a failure to the App's one reporter.
"""

from __future__ import annotations

from typing import Any

from textual.worker import Worker, WorkerState


class ReportsWorkerErrors:
    """Mixin for a screen or widget with workers: a failed one is reported by the App."""

    app: Any

    def on_worker_state_changed(self, message: Worker.StateChanged) -> None:
        if message.state == WorkerState.ERROR:
            self.app.report_worker_error(message.worker.error)
