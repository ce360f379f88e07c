"""Quitting the app while the outbox is sent to a server that never answers: the process
ends at once (the send's thread never holds it), nothing is sent twice or lost, and one line
on the terminal says what happened to what was being sent."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import TODAY
from tests.mail_server import Recorder, smtp_server
from tests.test_cli_mail import SENDER, ZURICH
from tui.app import ConvenerApp
from tui.config import Settings
from tui.domain.mail.compose import Organizer
from tui.domain.mail.settings import MailSettings
from tui.domain.planner import Planner
from tui.domain.store import Store
from tui.mail_cli import default_outbox

from .ui.conftest import wait_until

AT_ONCE = 20
"""Seconds a quit may take, Textual's start in a fresh process included: less than the
SMTP timeout (30 s), which a quit that waited for the send would have taken."""

# `convener --db DB` run headless: send the outbox, and once the test says the server took
# the connection (a line on stdin), q.
APP = """
import asyncio, sys
from tui.app import ConvenerApp
run = ConvenerApp.run
async def quit_while_sending(pilot):
    app = pilot.app
    await app.workers.wait_for_complete()
    app.action_send_outbox()
    await asyncio.to_thread(sys.stdin.readline)
    await pilot.press("q")
def headless(self, **options):
    return run(self, headless=True, size=(120, 40), auto_pilot=quit_while_sending)
ConvenerApp.run = headless
from tui.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_quitting_while_the_mail_server_never_answers_ends_the_app_at_once(
    sample_db: Path, tmp_path: Path
) -> None:
    store = Store(sample_db)
    planner = Planner(store, today=lambda: TODAY)
    outbox = default_outbox(planner)
    planner.queue_mail(int(ZURICH), "invitation", outbox, Organizer(SENDER))
    store.close()
    queued = sorted(p.name for p in outbox.iterdir())
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(AT_ONCE)
    port = listener.getsockname()[1]
    config = tmp_path / "xdg-config" / "convener"
    config.mkdir(parents=True)
    (config / "config.toml").write_text(
        f'[mail]\nfrom = "{SENDER}"\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
    )
    child = subprocess.Popen(
        [sys.executable, "-c", APP, "--db", str(sample_db)],
        env={**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "xdg-config")},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        connection, _ = listener.accept()  # the send waits for the server's greeting
        hung = time.monotonic()
        # It waited for the SMTP timeout (30 s) with the terminal left blank.
        _, err = child.communicate("quit\n", timeout=AT_ONCE)
        took = time.monotonic() - hung
        connection.close()
    finally:
        child.kill()
        child.wait()
        listener.close()
    assert child.returncode == 0 and took < AT_ONCE
    assert err == (
        "convener: sending stopped by quitting: 0 messages sent,"
        " 2 left in the outbox to send next time\n"
    )
    assert sorted(p.name for p in outbox.iterdir()) == queued


async def test_quitting_while_a_message_waits_on_the_server_puts_it_back_and_says_so(
    planner: Planner,
) -> None:
    """The server took the first message and does not answer the second's MAIL FROM: q
    leaves the second in the outbox, marks the first's guest invited, and says so."""
    outbox = default_outbox(planner)
    planner.queue_mail(int(ZURICH), "invitation", outbox, Organizer(SENDER))
    first, second = sorted(outbox.glob("*.eml"))
    recorder = Recorder(hold_mail_at=2)
    with smtp_server(recorder) as port:
        mail = MailSettings(from_address=SENDER, host="127.0.0.1", port=port, security="none")
        app = ConvenerApp(planner, Settings(timezone="UTC", mail=mail))
        async with app.run_test(size=(120, 40)) as pilot:
            await app.workers.wait_for_complete()
            app.action_send_outbox()
            assert await wait_until(pilot, recorder.arrived.is_set)
            await pilot.press("q")
        assert app.said_at_exit == [
            "sending stopped by quitting: 1 message sent (1 guest marked invited),"
            " 1 left in the outbox to send next time"
        ]
        assert sorted(outbox.glob("*.eml")) == [second]
        assert [p.name for p in (outbox / "sent").iterdir()] == [first.name]
        report = planner.send_mail(outbox, mail)
    assert len(report.sent) == 1
    assert len({r.rcpt_tos[0] for r in recorder.received}) == len(recorder.received) == 2
    statuses = [line.invitation.status for line in planner.guest_lines(int(ZURICH))]
    assert "to-invite" not in statuses


@pytest.mark.parametrize("key", ["ctrl+c", "ctrl+q"])
async def test_every_quit_key_stops_the_send(planner: Planner, key: str) -> None:
    outbox = default_outbox(planner)
    planner.queue_mail(int(ZURICH), "invitation", outbox, Organizer(SENDER))
    recorder = Recorder(hold_mail_at=1)
    with smtp_server(recorder) as port:
        mail = MailSettings(from_address=SENDER, host="127.0.0.1", port=port, security="none")
        app = ConvenerApp(planner, Settings(timezone="UTC", mail=mail))
        async with app.run_test(size=(120, 40)) as pilot:
            await app.workers.wait_for_complete()
            app.action_send_outbox()
            assert await wait_until(pilot, recorder.arrived.is_set)
            await pilot.press(key)
        assert app.said_at_exit == [
            "sending stopped by quitting: 0 messages sent, 2 left in the outbox to send next time"
        ]
        assert len(list(outbox.glob("*.eml"))) == 2


# `convener` as a terminal starts it: ctrl+c raises KeyboardInterrupt (the test run's own
# process may have been started with SIGINT ignored, which a child inherits).
CLI = """
import signal, sys
signal.signal(signal.SIGINT, signal.default_int_handler)
from tui.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_ctrl_c_while_a_message_waits_on_the_server_puts_it_back_and_says_so(
    sample_db: Path, tmp_path: Path
) -> None:
    """`convener mail send`: the server took the first message and does not answer the
    second's MAIL FROM. ctrl+c left the second as .sending ("may have gone out", to rename
    by hand) and the first's guest to-invite, to be invited again by the next m."""
    import signal

    store = Store(sample_db)
    planner = Planner(store, today=lambda: TODAY)
    outbox = default_outbox(planner)
    planner.queue_mail(int(ZURICH), "invitation", outbox, Organizer(SENDER))
    first, second = sorted(outbox.glob("*.eml"))
    recorder = Recorder(hold_mail_at=2)
    with smtp_server(recorder) as port:
        config = tmp_path / "xdg-config" / "convener"
        config.mkdir(parents=True)
        (config / "config.toml").write_text(
            f'[mail]\nfrom = "{SENDER}"\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
        )
        child = subprocess.Popen(
            [sys.executable, "-c", CLI, "--db", str(sample_db), "mail", "send"],
            env={**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "xdg-config")},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert recorder.arrived.wait(AT_ONCE)
            child.send_signal(signal.SIGINT)
            _, err = child.communicate(timeout=AT_ONCE)
        finally:
            child.kill()
            child.wait()
    assert child.returncode == 130
    assert err == (
        "convener: sending stopped by ctrl+c: 1 message sent (1 guest marked invited),"
        " 1 left in the outbox to send next time\n"
    )
    assert sorted(outbox.glob("*.eml")) == [second]
    assert [p.name for p in (outbox / "sent").iterdir()] == [first.name]
    statuses = [line.invitation.status for line in planner.guest_lines(int(ZURICH))]
    assert statuses.count("to-invite") == 1
    store.close()
