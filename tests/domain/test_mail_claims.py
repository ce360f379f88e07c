"""A send run claims a message (NAME.eml.claimed-PID, locked) before it talks to the server
about it, and renames it NAME.eml.sending only just before its text leaves. A run killed in
between (kill -9, the power lost) leaves the claim: none of its text left, so the next run
puts it back and sends it, once. A .sending file may have gone out: reported, never resent.
A claim another run still holds is left to it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.domain.test_mail_stop import ZURICH, mail_settings, to_invite
from tests.mail_server import Received, Recorder, smtp_server
from tui.domain.mail import spool
from tui.domain.mail.compose import Organizer
from tui.domain.planner import Planner
from tui.mail_cli import default_outbox


def gone_pid() -> int:
    """The number of a process that ran and ended (reaped): nobody's now."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], check=True,
                          capture_output=True, text=True)  # fmt: skip
    return int(done.stdout)


def queue_two(planner: Planner) -> tuple[Path, Path, Path]:
    outbox = default_outbox(planner)
    planner.queue_mail(ZURICH, "invitation", outbox, Organizer("kelsey@stanleycenter.example"))
    first, second = sorted(outbox.glob("*.eml"))
    return outbox, first, second


def test_a_claim_left_by_a_killed_run_is_counted_once_and_sent_by_the_next_run(
    planner: Planner,
) -> None:
    """What a run killed while the server had not answered MAIL FROM leaves."""
    outbox, first, second = queue_two(planner)
    claim = second.with_name(f"{second.name}.claimed-{gone_pid()}")
    second.rename(claim)
    assert planner.outbox_count(outbox) == 2  # the header's count: waiting, once
    assert planner.outbox_state(outbox) == (2, 0, 0)
    recorder = Recorder()
    with smtp_server(recorder) as port:
        report = planner.send_mail(outbox, mail_settings(port))
    assert report.problem is None and report.uncertain == [] and report.claimed == []
    assert len(report.sent) == 2
    addresses = [r.rcpt_tos[0] for r in recorder.received]
    assert len(addresses) == len(set(addresses)) == 2
    assert sorted(p.name for p in (outbox / "sent").iterdir()) == [first.name, second.name]
    assert sorted(p.name for p in outbox.iterdir() if p.is_file()) == []
    assert to_invite(planner) == []


def test_a_sending_file_stays_reported_and_is_not_resent_beside_a_claim_that_is(
    planner: Planner,
) -> None:
    outbox, first, second = queue_two(planner)
    first.rename(first.with_name(first.name + ".sending"))  # its text had left
    second.rename(second.with_name(f"{second.name}.claimed-{gone_pid()}"))  # not yet
    assert planner.outbox_count(outbox) == 1
    recorder = Recorder()
    with smtp_server(recorder) as port:
        report = planner.send_mail(outbox, mail_settings(port))
    assert report.uncertain == [outbox / f"{first.name}.sending"]
    assert len(report.sent) == 1 and len(recorder.received) == 1
    assert [p.name for p in (outbox / "sent").iterdir()] == [second.name]
    assert (outbox / f"{first.name}.sending").exists()
    assert not first.exists()


def test_a_claim_another_run_still_holds_is_left_to_it(planner: Planner) -> None:
    """Another process holds the claim's lock (a run waiting on its server): not counted,
    not sent from here, said; once that process is gone, the next run sends it."""
    outbox, _, second = queue_two(planner)
    with claimed_elsewhere(second) as (holder, claim):
        assert holder.stdin is not None
        assert claim.name == f"{second.name}.claimed-{holder.pid}"
        assert planner.outbox_count(outbox) == 1
        recorder = Recorder()
        with smtp_server(recorder) as port:
            report = planner.send_mail(outbox, mail_settings(port))
            assert report.claimed == [(claim, True)]
            assert report.claimed_lines() == [
                f"{second.name} is being sent by another run (process {holder.pid}); left to it"
            ]
            assert len(report.sent) == 1 and len(recorder.received) == 1
            assert claim.exists() and not second.exists()
            holder.stdin.close()  # the other run ends (killed, its lock goes with it)
            assert holder.wait(30) == 0
            report = planner.send_mail(outbox, mail_settings(port))
        assert len(report.sent) == 1 and report.claimed == []
        assert len({r.rcpt_tos[0] for r in recorder.received}) == len(recorder.received) == 2
        assert not claim.exists()


HOLDER = """
import fcntl, os, sys
path = sys.argv[1]
descriptor = os.open(path, os.O_RDWR)
fcntl.flock(descriptor, fcntl.LOCK_EX)
claim = f"{path}.claimed-{os.getpid()}"
os.replace(path, claim)
print(claim, flush=True)
sys.stdin.read()
"""
"""A run that claims a message (as Handover.claim does) and holds it until its stdin ends."""


@contextmanager
def claimed_elsewhere(path: Path) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    """Another process's run claims `path` and holds it (HOLDER): the process and the
    claim, which is locked from the moment it is yielded; the process is gone after."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        yield holder, Path(holder.stdout.readline().strip())
    finally:
        holder.kill()
        holder.wait(30)


def test_without_locks_a_claim_whose_process_number_is_in_use_is_left_and_said(
    planner: Planner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No lock to be had (a file system without them): the process number tells; one in
    use may be another program's since, so the claim is left, and said so; one nobody has
    is taken back."""
    outbox, first, second = queue_two(planner)
    monkeypatch.setattr(spool, "hold", lambda path: (None, None))
    in_use = first.with_name(f"{first.name}.claimed-{os.getppid()}")
    first.rename(in_use)
    second.rename(second.with_name(f"{second.name}.claimed-{gone_pid()}"))
    assert planner.outbox_count(outbox) == 1 and second.exists()
    recorder = Recorder()
    with smtp_server(recorder) as port:
        report = planner.send_mail(outbox, mail_settings(port))
    assert report.claimed == [(in_use, False)]
    [line] = report.claimed_lines()
    assert line.startswith(f"{in_use.name}: claimed by process {os.getppid()}, which still runs")
    assert line.endswith(f"(if no Convener is sending, rename it to {first.name} to send it)")
    assert len(report.sent) == 1 and len(recorder.received) == 1
    assert in_use.exists()


def test_a_claim_taken_back_before_the_text_left_is_not_sent_from_here(
    planner: Planner,
) -> None:
    """Only the run whose claim becomes .sending hands the text over: one whose claim was
    put back meanwhile (another run took it for a dead one) closes the connection in the
    middle of DATA, before any of the text, and says so; the message waits, sent once."""
    outbox, first, second = queue_two(planner)
    claim = first.with_name(f"{first.name}.claimed-{os.getpid()}")

    class TakesItBack(Recorder):
        async def handle_RCPT(
            self, server: Any, session: Any, envelope: Any, address: str, options: Any
        ) -> str:
            if claim.exists() and not self.received:
                claim.rename(first)  # as another run would, taking this one for dead
            return await super().handle_RCPT(server, session, envelope, address, options)

    recorder = TakesItBack()
    with smtp_server(recorder) as port:
        report = planner.send_mail(outbox, mail_settings(port))
        assert report.problem == (
            f"{first.name}: another run took it back as a claim of a run that had stopped,"
            " and may send it; not sent from here"
        )
        assert report.sent == [] and recorder.received == [] and report.uncertain == []
        assert sorted(p.name for p in outbox.iterdir() if p.is_file()) == [first.name, second.name]
        recorder.received.append(Received("", [], b""))  # the next run: no taking back
        report = planner.send_mail(outbox, mail_settings(port))
    assert len(report.sent) == 2 and report.problem is None
    assert len({r.rcpt_tos[0] for r in recorder.received[1:]}) == len(recorder.received) - 1 == 2


def test_the_apps_look_at_the_outbox_changes_when_a_run_holding_a_claim_dies(
    planner: Planner,
) -> None:
    """The app polls the outbox folder's look to count it again after another process's
    change; a run killed while it held a claim changes no file, yet its message waits
    again: the look tells it (and the count then has it)."""
    from tui.mail_actions import outbox_look

    outbox, _, second = queue_two(planner)
    with claimed_elsewhere(second) as (holder, claim):
        before = outbox_look(planner)
        assert outbox_look(planner) == before  # nothing changed: no news
        assert planner.outbox_count(outbox) == 1
        holder.kill()  # SIGKILL: its lock goes with it, no file changes
        holder.wait(30)
        assert claim.exists()
        assert outbox_look(planner) != before
        assert planner.outbox_count(outbox) == 2 and second.exists()


def test_another_database_queues_beside_a_claimed_message_of_the_same_name(
    planner: Planner, tmp_path: Path
) -> None:
    """Two databases in one folder number their events and guests alike: the second one's
    invitation takes a name of its own when the first one's, of that name, is claimed by
    a run (put back, it would have replaced the second one's, unsent)."""
    from tests.conftest import TODAY
    from tui.domain.store import Store
    from tui.sample import load_sample

    outbox, first, _ = queue_two(planner)
    store = Store(planner.database_path.parent / "other.db")
    with closing(store), claimed_elsewhere(first):
        other = Planner(store, today=lambda: TODAY)
        load_sample(other)
        report = other.queue_mail(
            ZURICH, "invitation", outbox, Organizer("kelsey@stanleycenter.example")
        )
        names = sorted(path.name for _, path in report.queued)
        assert len(names) == 2 and first.name not in names


def test_a_guest_whose_invitation_a_run_has_claimed_is_not_invited_again(
    planner: Planner,
) -> None:
    """While a run talks to its server about a message (claimed, its text not yet left),
    the message waits all the same: queueing the invitations again skips that guest (it
    was left out of what waits, and the guest got two invitations)."""
    outbox, first, second = queue_two(planner)
    with claimed_elsewhere(second) as (_, claim):
        assert spool.claimed(outbox) == [claim]
        report = planner.queue_mail(
            ZURICH, "invitation", outbox, Organizer("kelsey@stanleycenter.example")
        )
        assert report.queued == []
        assert sorted(path for _, path in report.already_queued) == sorted([first, claim])
        assert sorted(p.name for p in outbox.glob("*.eml")) == [first.name]


def test_this_processs_own_claim_is_left_without_a_look_at_its_lock(planner: Planner) -> None:
    """A claim this process's send run holds is live without opening and trying it (on a
    file system whose locks are the process's, the look's own lock succeeded, and closing
    its file let the run's lock go); once the run let it go, an unlocked claim is put back."""
    outbox, first, second = queue_two(planner)
    claim = spool.claim_path(second)  # this process's number, no lock held
    second.rename(claim)
    spool.OURS.add(claim)
    try:
        assert spool.queued(outbox) == [first]
        assert spool.claimed(outbox) == [claim]
        assert spool.claims_held(outbox, [claim.name]) == ((claim.name, True),)
    finally:
        spool.OURS.discard(claim)
    assert spool.queued(outbox) == [first, second]


def test_a_claim_put_back_never_replaces_another_message_queued_under_its_name(
    planner: Planner,
) -> None:
    """A claim of a run that is gone goes back as NAME.eml; another message written under
    that name meanwhile (any way at all) keeps it, and the claim takes NAME-2.eml: both
    wait, both are sent."""
    outbox, first, second = queue_two(planner)
    claim = first.with_name(f"{first.name}.claimed-{gone_pid()}")
    first.rename(claim)
    other = second.read_bytes()  # another guest's invitation
    first.write_bytes(other)
    queued = spool.queued(outbox)
    assert [path.name for path in queued] == sorted(
        [first.name, f"{first.stem}-2.eml", second.name]
    )
    assert first.read_bytes() == other
    assert not claim.exists()


def test_a_claim_put_back_gives_way_to_the_same_message_saved_since(planner: Planner) -> None:
    """The officer edited the message in the outbox while a run had taken it (the editor
    saved it under its name again): the edit waits, the older copy goes; the guest gets
    one message."""
    outbox, first, second = queue_two(planner)
    claim = first.with_name(f"{first.name}.claimed-{gone_pid()}")
    first.rename(claim)
    edited = claim.read_bytes().replace(b"Subject: ", b"Subject: (edited) ", 1)
    assert edited != claim.read_bytes()
    first.write_bytes(edited)
    assert spool.queued(outbox) == [first, second]
    assert first.read_bytes() == edited
    assert not claim.exists()
    recorder = Recorder()
    with smtp_server(recorder) as port:
        report = planner.send_mail(outbox, mail_settings(port))
    assert len(report.sent) == 2 and len(recorder.received) == 2
    assert len({r.rcpt_tos[0] for r in recorder.received}) == 2


def test_a_claim_already_back_under_its_name_is_not_put_back_twice(planner: Planner) -> None:
    """One file under two names (NAME.eml and its claim, as a copy made with hard links
    leaves them): the next look keeps NAME.eml and drops the claim's name, no second copy
    to send."""
    outbox, first, _ = queue_two(planner)
    claim = first.with_name(f"{first.name}.claimed-{gone_pid()}")
    os.link(first, claim)
    assert len(spool.queued(outbox)) == 2
    assert not claim.exists() and first.exists()


def test_a_claim_put_back_is_one_rename(planner: Planner, monkeypatch: pytest.MonkeyPatch) -> None:
    """No hard link and unlink (a run killed between the two would leave one message under
    two names, sent twice): one os.replace, on file systems without hard links alike."""
    _, first, _ = queue_two(planner)
    claim = first.with_name(f"{first.name}.claimed-{gone_pid()}")
    first.rename(claim)
    kept = claim.read_bytes()

    def no_links(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a hard link")

    monkeypatch.setattr(os, "link", no_links)
    assert spool.put_back(claim, first) == first
    assert first.read_bytes() == kept and not claim.exists()


def test_a_message_edited_while_it_is_sent_is_set_aside_not_sent_again(planner: Planner) -> None:
    """The officer saved the message under its name while a run was sending it (the run had
    it as a claim): the earlier text went; the changed copy is kept beside it as
    NAME.eml.changed, said, and no later run sends the guest a second message."""
    outbox, first, _ = queue_two(planner)
    edited = first.read_bytes().replace(b"Subject: ", b"Subject: (edited) ", 1)

    class EditsMeanwhile(Recorder):
        async def handle_RCPT(
            self, server: Any, session: Any, envelope: Any, address: str, options: Any
        ) -> str:
            if not first.exists() and not self.received:
                first.write_bytes(edited)  # the editor saves it under its name again
            return await super().handle_RCPT(server, session, envelope, address, options)

    recorder = EditsMeanwhile()
    with smtp_server(recorder) as port:
        report = planner.send_mail(outbox, mail_settings(port))
        assert len(report.sent) == 2 and report.problem is None
        aside = first.with_name(first.name + ".changed")
        assert report.changed == [
            f"{first.name} was changed in the outbox while it was being sent: the earlier"
            f" text went; the changed copy is kept as {aside.name}, not sent (rename it to"
            f" {first.name} to send it as well)"
        ]
        assert aside.read_bytes() == edited
        assert spool.queued(outbox) == []
        again = planner.send_mail(outbox, mail_settings(port))
    assert again.sent == [] and again.changed == []
    assert len(recorder.received) == 2
    assert len({r.rcpt_tos[0] for r in recorder.received}) == 2
