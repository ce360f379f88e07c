"""`convener mail ...` and importing replies, end to end against a real SMTP server."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TODAY
from tests.mail_server import Recorder, smtp_server
from tui.cli import main
from tui.domain.mail.outbox import read_message

ZURICH = "12"
"""The Zürich roundtable: invitation-only, two guests to invite (both with an e-mail)."""
SENDER = "kelsey@stanleycenter.example"


def write_config(home: Path, port: int | None = None, **extra: str) -> None:
    folder = home / "config"
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["[mail]", f'from = "Kelsey Shantz <{SENDER}>"', 'security = "none"']
    if port is not None:
        lines += ['host = "127.0.0.1"', f"port = {port}"]
    lines += [f'{key} = "{value}"' for key, value in extra.items()]
    (folder / "config.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def run(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *argv], environ={"CONVENER_TODAY": TODAY.isoformat()})
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def guests(db: Path, event_id: str) -> dict[str, tuple[str, str | None, str | None, str | None]]:
    """email -> (status, invited_on, responded_on, response_via) for an event."""
    connection = sqlite3.connect(db)
    rows = connection.execute(
        "select p.email, i.status, i.invited_on, i.responded_on, i.response_via"
        " from invitations i join people p on p.id = i.person_id"
        " where i.event_id = ? and i.deleted_at is null",
        [int(event_id)],
    ).fetchall()
    connection.close()
    return {row[0]: tuple(row[1:]) for row in rows if row[0]}


def to_invite(db: Path, event_id: str) -> list[str]:
    return sorted(email for email, line in guests(db, event_id).items() if line[0] == "to-invite")


def send_in_another_process(db: Path, home: Path) -> subprocess.Popen[bytes]:
    """`convener mail send` in a process of its own, with the config write_config wrote."""
    environment = {
        **os.environ,
        "CONVENER_TODAY": TODAY.isoformat(),
        "XDG_CONFIG_HOME": str(home),  # platformdirs: $XDG_CONFIG_HOME/convener
    }
    (home / "convener").mkdir()
    (home / "convener" / "config.toml").write_bytes((home / "config" / "config.toml").read_bytes())
    return subprocess.Popen(
        [sys.executable, "-m", "tui", "--db", str(db), "mail", "send"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def killed_once_held(db: Path, home: Path, recorder: Recorder) -> subprocess.Popen[bytes]:
    """`convener mail send` in another process, killed (SIGKILL) once the server holds it
    where `recorder` was told to (its MAIL FROM, or its text): the process, gone."""
    process = send_in_another_process(db, home)
    try:
        assert recorder.arrived.wait(60), process.communicate(timeout=5)
    finally:
        process.kill()
        process.wait(30)
    return process


def test_queue_invitations_writes_one_private_eml_per_guest(
    capsys: pytest.CaptureFixture[str], sample_db: Path, isolated_paths: Path
) -> None:
    write_config(isolated_paths)
    expected = to_invite(sample_db, ZURICH)
    assert len(expected) == 2
    code, out, _ = run(capsys, sample_db, "mail", "invitations", ZURICH)
    assert code == 0
    outbox = sample_db.parent / "outbox"
    files = sorted(outbox.glob("*.eml"))
    assert len(files) == 2
    assert stat.S_IMODE(outbox.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert out.startswith(f"queued 2 messages in {outbox}")
    recipients = sorted(
        f.read_text(encoding="utf-8").split("\nTo: ")[1].split(">")[0] for f in files
    )
    assert [r.split("<")[1] for r in recipients] == expected
    # Queuing nothing has changed in the database: the guests are still to invite.
    assert to_invite(sample_db, ZURICH) == expected


def test_queuing_twice_does_not_duplicate(
    capsys: pytest.CaptureFixture[str], sample_db: Path, isolated_paths: Path
) -> None:
    write_config(isolated_paths)
    assert run(capsys, sample_db, "mail", "invitations", ZURICH)[0] == 0
    code, out, _ = run(capsys, sample_db, "mail", "invitations", ZURICH)
    assert code == 0
    assert out.startswith("2 invitations already wait in the outbox; nothing queued")
    assert out.count("already queued:") == 2
    assert len(list((sample_db.parent / "outbox").glob("*.eml"))) == 2


def test_an_update_run_twice_with_nothing_changed_queues_nothing_the_second_time(
    capsys: pytest.CaptureFixture[str], sample_db: Path, isolated_paths: Path
) -> None:
    """Each guest would have got two updates (SEQUENCE:1 and SEQUENCE:2) of the same
    event; after a change, the new update replaces the waiting one."""
    write_config(isolated_paths)
    outbox = sample_db.parent / "outbox"
    assert run(capsys, sample_db, "mail", "update", ZURICH)[0] == 0
    first = sorted(p.name for p in outbox.glob("update-*.eml"))
    assert first and all(name.endswith("-s1.eml") for name in first)
    code, out, _ = run(capsys, sample_db, "mail", "update", ZURICH)
    assert code == 0
    assert out.splitlines()[0] == f"{len(first)} updates already wait in the outbox; nothing queued"
    assert out.count("already queued:") == len(first)
    assert sorted(p.name for p in outbox.glob("update-*.eml")) == first
    connection = sqlite3.connect(sample_db)
    connection.execute("update events set location = 'Salle B, Geneva' where id = 12")
    connection.commit()
    connection.close()
    code, out, _ = run(capsys, sample_db, "mail", "update", ZURICH)
    assert out.startswith(f"queued {len(first)} messages")
    assert out.count("replaced the unsent update-") == len(first)
    second = sorted(p.name for p in outbox.glob("update-*.eml"))
    assert second == [name.replace("-s1.eml", "-s2.eml") for name in first]
    assert "Salle B, Geneva" in (outbox / second[0]).read_text(encoding="utf-8")


def test_an_update_already_sent_is_not_queued_again_until_the_event_changes(
    capsys: pytest.CaptureFixture[str], sample_db: Path, isolated_paths: Path
) -> None:
    """`mail update` after `mail send` compared with the empty outbox and queued the same
    update again, SEQUENCE and all: the last update sent to each guest counts too."""
    outbox = sample_db.parent / "outbox"
    recorder = Recorder()
    with smtp_server(recorder) as port:
        write_config(isolated_paths, port)
        assert run(capsys, sample_db, "mail", "update", ZURICH)[0] == 0
        first = sorted(p.name for p in outbox.glob("update-*.eml"))
        assert first and run(capsys, sample_db, "mail", "send")[0] == 0
        assert len(recorder.received) == len(first) and not list(outbox.glob("*.eml"))
        code, out, _ = run(capsys, sample_db, "mail", "update", ZURICH)
        assert code == 0
        said = "update already sent says" if len(first) == 1 else "updates already sent say"
        assert out.splitlines()[0] == f"{len(first)} {said} the same; nothing queued"
        assert out.count("already sent: ") == len(first)
        assert not list(outbox.glob("*.eml"))
        connection = sqlite3.connect(sample_db)
        connection.execute("update events set location = 'Salle B, Geneva' where id = 12")
        connection.commit()
        connection.close()
        assert run(capsys, sample_db, "mail", "update", ZURICH)[0] == 0
        second = sorted(p.name for p in outbox.glob("update-*.eml"))
        assert second == [name.replace("-s1.eml", "-s2.eml") for name in first]


def test_guests_without_email_are_listed_one_line_each(
    capsys: pytest.CaptureFixture[str], sample_db: Path, isolated_paths: Path
) -> None:
    write_config(isolated_paths)
    connection = sqlite3.connect(sample_db)
    connection.execute(
        "update people set email = null where id in"
        " (select person_id from invitations where event_id = 12 and status = 'to-invite')"
    )
    connection.commit()
    connection.close()
    code, out, _ = run(capsys, sample_db, "mail", "invitations", ZURICH)
    assert code == 0
    assert out.count("no e-mail address:") == 2
    assert not list((sample_db.parent / "outbox").glob("*.eml"))


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["mail", "invitations", "999"], "no event with id 999"),
        (["mail", "invitations", "twelve"], "is not an event id"),
        (["mail", "invitations", ZURICH, "--status", "maybe"], "is not a guest status"),
        (["mail", "send", "--smtp", "localhost"], "is not HOST:PORT"),
        (["mail", "send", "--smtp", "localhost:99999"], "--smtp: 99999 is not a port number"),
        (["mail", "send", "--smtp", "localhost:smtp"], "--smtp: 'smtp' is not a port number"),
        (["mail", "send", "--smtp", ":25"], "is not HOST:PORT"),
    ],
)
def test_bad_input_is_one_line_exit_2_nothing_changed(
    capsys: pytest.CaptureFixture[str],
    sample_db: Path,
    isolated_paths: Path,
    argv: list[str],
    expected: str,
) -> None:
    write_config(isolated_paths)
    before = guests(sample_db, ZURICH)
    code, out, err = run(capsys, sample_db, *argv)
    assert code == 2
    assert expected in err
    assert len(err.strip().splitlines()) == 1 and len(err) < 200
    assert "Traceback" not in err + out
    assert guests(sample_db, ZURICH) == before


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (
            ["mail", "import"],
            "convener: mail has no 'import': replies are imported with"
            " `convener import FILE.eml|.mbox|Maildir`",
        ),
        (
            ["mail", "frob"],
            "convener: mail has no 'frob' (choose from 'invitations', 'update', 'cancel',"
            " 'send'; see convener mail --help)",
        ),
    ],
)
def test_a_mail_action_it_has_not_says_so_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], line: str
) -> None:
    code, out, err = run(capsys, tmp_path / "x.db", *argv)
    assert (code, out, err) == (2, "", line + "\n")


def test_queue_without_a_from_address_says_how_to_set_it(
    capsys: pytest.CaptureFixture[str], sample_db: Path
) -> None:
    code, _, err = run(capsys, sample_db, "mail", "invitations", ZURICH)
    assert code == 2
    assert "[mail] from" in err
    assert not (sample_db.parent / "outbox").exists()


def test_send_delivers_moves_to_sent_and_marks_invited_in_one_undo_step(
    capsys: pytest.CaptureFixture[str], sample_db: Path, isolated_paths: Path
) -> None:
    recorder = Recorder()
    with smtp_server(recorder) as port:
        write_config(isolated_paths, port)
        expected = to_invite(sample_db, ZURICH)
        assert run(capsys, sample_db, "mail", "invitations", ZURICH)[0] == 0
        code, out, err = run(capsys, sample_db, "mail", "send")
    assert code == 0, err
    assert out.startswith(f"sent 2 messages through 127.0.0.1:{port}; 2 guests marked invited")
    assert sorted(r.rcpt_tos[0] for r in recorder.received) == expected
    assert all(r.mail_from == SENDER for r in recorder.received)
    outbox = sample_db.parent / "outbox"
    assert not list(outbox.glob("*.eml"))
    assert len(list((outbox / "sent").glob("*.eml"))) == 2
    lines = guests(sample_db, ZURICH)
    for email in expected:
        assert lines[email][:2] == ("invited", TODAY.isoformat())
    # What the server got is an iMIP REQUEST for that guest only.
    message = recorder.received[0].message
    calendar = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    assert calendar.get_param("method") == "REQUEST"
    assert calendar["Content-Transfer-Encoding"] in ("7bit", "8bit", "quoted-printable")
    assert calendar.get_content().count("ATTENDEE") == 1
    # One undo step brings both back to "to invite".
    code, out, _ = run(capsys, sample_db, "undo")
    assert "Send 2 messages by e-mail" in out
    assert to_invite(sample_db, ZURICH) == expected


def test_send_with_an_empty_outbox_says_so(
    capsys: pytest.CaptureFixture[str], sample_db: Path, isolated_paths: Path
) -> None:
    write_config(isolated_paths, 2)
    code, out, _ = run(capsys, sample_db, "mail", "send")
    assert code == 0
    assert "the outbox is empty" in out


def test_unreachable_server_is_one_line_and_the_outbox_kept_whole(
    capsys: pytest.CaptureFixture[str], sample_db: Path, isolated_paths: Path
) -> None:
    from tests.mail_server import free_port

    port = free_port()
    write_config(isolated_paths, port)
    run(capsys, sample_db, "mail", "invitations", ZURICH)
    outbox = sample_db.parent / "outbox"
    before = sorted(p.name for p in outbox.iterdir())
    code, _, err = run(capsys, sample_db, "mail", "send")
    assert code == 2
    # In words, never the exception's text ("[Errno 111] Connection refused").
    assert err == (
        f"convener: cannot reach the mail server at 127.0.0.1:{port}: connection refused\n"
    )
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert sorted(p.name for p in outbox.iterdir()) == before
    assert len(to_invite(sample_db, ZURICH)) == 2


def test_starttls_required_but_not_offered_is_refused_before_sending(
    capsys: pytest.CaptureFixture[str], sample_db: Path, isolated_paths: Path
) -> None:
    recorder = Recorder()
    with smtp_server(recorder) as port:
        write_config(isolated_paths)
        run(capsys, sample_db, "mail", "invitations", ZURICH)
        folder = isolated_paths / "config"
        text = (folder / "config.toml").read_text().replace('security = "none"\n', "")
        (folder / "config.toml").write_text(text + f'host = "127.0.0.1"\nport = {port}\n')
        code, _, err = run(capsys, sample_db, "mail", "send")
    assert code == 2
    assert "does not offer STARTTLS" in err
    assert recorder.received == []
    assert len(list((sample_db.parent / "outbox").glob("*.eml"))) == 2


def test_refused_in_the_middle_keeps_the_rest_and_resumes_without_resending(
    capsys: pytest.CaptureFixture[str], sample_db: Path, isolated_paths: Path
) -> None:
    refusing = Recorder(refuse_from=2)
    with smtp_server(refusing) as port:
        write_config(isolated_paths, port)
        run(capsys, sample_db, "mail", "invitations", ZURICH)
        code, _, err = run(capsys, sample_db, "mail", "send")
    assert code == 2
    assert "refused it (554" in err and "it stays in the outbox" in err
    assert len(refusing.received) == 1
    first = refusing.received[0].rcpt_tos[0]
    outbox = sample_db.parent / "outbox"
    assert len(list(outbox.glob("*.eml"))) == 1
    assert not list(outbox.glob("*.sending"))
    assert guests(sample_db, ZURICH)[first][0] == "invited"
    accepting = Recorder()
    with smtp_server(accepting) as port:
        write_config(isolated_paths, port)
        code, _, _ = run(capsys, sample_db, "mail", "send")
    assert code == 0
    assert first not in [r.rcpt_tos[0] for r in accepting.received]
    assert len(accepting.received) == 1
    assert to_invite(sample_db, ZURICH) == []


def test_a_run_killed_mid_send_resumes_and_never_sends_twice(
    capsys: pytest.CaptureFixture[str], sample_db: Path, isolated_paths: Path, tmp_path: Path
) -> None:
    """A real kill (SIGKILL) of `convener mail send` while the server holds message 2."""
    connection = sqlite3.connect(sample_db)  # a third guest to invite, so one is left over
    connection.execute(
        "update invitations set status = 'to-invite' where event_id = 12 and person_id = 14"
    )
    connection.commit()
    connection.close()
    recorder = Recorder(hold_at=2)
    with smtp_server(recorder) as port:
        write_config(isolated_paths, port)
        assert run(capsys, sample_db, "mail", "invitations", ZURICH)[0] == 0
        outbox = sample_db.parent / "outbox"
        assert len(list(outbox.glob("*.eml"))) == 3
        killed_once_held(sample_db, isolated_paths, recorder)
        recorder.release.set()
        assert len(list((outbox / "sent").glob("*.eml"))) == 1
        in_flight = list(outbox.glob("*.eml.sending"))
        assert len(in_flight) == 1
        assert len(list(outbox.glob("*.eml"))) == 1
        assert len(to_invite(sample_db, ZURICH)) == 3  # killed before the database step
        received_before = len(recorder.received)
        code, out, err = run(capsys, sample_db, "mail", "send")
    assert code == 1
    assert f"{in_flight[0].name} may already have gone out" in err
    assert "sent 1 message" in out
    assert "2 guests marked invited (1 sent by an earlier run that stopped)" in out
    assert len(recorder.received) == received_before + 1
    addresses = [r.rcpt_tos[0] for r in recorder.received]
    assert len(addresses) == len(set(addresses))  # nobody got the invitation twice
    assert in_flight[0].exists()  # left for the officer to decide
    assert len(to_invite(sample_db, ZURICH)) == 1


def test_a_run_killed_before_a_messages_text_left_is_sent_by_the_next_run(
    capsys: pytest.CaptureFixture[str], sample_db: Path, isolated_paths: Path
) -> None:
    """A real kill (SIGKILL) of `convener mail send` while the server has not answered the
    first message's MAIL FROM: none of its text left, so the next run sends it (it was
    left .sending, "may have gone out", for the officer to rename by hand)."""
    recorder = Recorder(hold_mail_at=1)
    with smtp_server(recorder) as port:
        write_config(isolated_paths, port)
        assert run(capsys, sample_db, "mail", "invitations", ZURICH)[0] == 0
        outbox = sample_db.parent / "outbox"
        queued = sorted(p.name for p in outbox.glob("*.eml"))
        assert len(queued) == 2
        process = killed_once_held(sample_db, isolated_paths, recorder)
        assert sorted(p.name for p in outbox.iterdir() if p.is_file()) == [
            f"{queued[0]}.claimed-{process.pid}",
            queued[1],
        ]
        recorder.release.set()
        code, out, err = run(capsys, sample_db, "mail", "send")
    assert (code, err) == (0, "")
    assert "sent 2 messages" in out and "2 guests marked invited" in out
    assert len({r.rcpt_tos[0] for r in recorder.received}) == len(recorder.received) == 2
    assert sorted(p.name for p in (outbox / "sent").iterdir()) == queued
    assert [p for p in outbox.iterdir() if p.is_file()] == []
    assert to_invite(sample_db, ZURICH) == []


def test_import_a_reply_prints_what_changed_and_a_broken_one_is_one_line(
    capsys: pytest.CaptureFixture[str], sample_db: Path, tmp_path: Path
) -> None:
    from tests.domain.test_mail_replies import outlook

    connection = sqlite3.connect(sample_db)
    uid, email = connection.execute(
        "select e.uid, p.email from events e join invitations i on i.event_id = e.id"
        " join people p on p.id = i.person_id where e.id = 12 and i.status = 'invited'"
        " and p.email is not null order by p.id limit 1"
    ).fetchone()
    connection.close()
    reply = tmp_path / "reply.eml"
    reply.write_bytes(outlook(uid, email, "ACCEPTED"))
    code, out, _ = run(capsys, sample_db, "import", str(reply))
    assert code == 0
    assert out.splitlines()[0] == f"{reply}: updated 1 guest"
    assert "invited -> accepted (2026-12-01)" in out
    assert guests(sample_db, ZURICH)[email][0] == "accepted"
    broken = tmp_path / "broken.eml"
    broken.write_bytes(b"\x00\x01\x02")
    before = guests(sample_db, ZURICH)
    code, out, err = run(capsys, sample_db, "import", str(broken))
    assert code == 2
    assert (
        err.strip()
        == f"convener: {broken}: is not an e-mail message (no From: or Content-Type: header)"
    )
    assert guests(sample_db, ZURICH) == before


MAIL_FIXTURES = Path(__file__).parent / "fixtures" / "mail"


def test_import_outlook_and_gmail_replies_and_one_sent_by_someone_else(
    capsys: pytest.CaptureFixture[str], sample_db: Path
) -> None:
    """The mail's Date is the day recorded (Outlook's calendar stamped 1 Dec, the mail
    went on 3 Dec); a reply for a guest sent from another address is said, not applied."""
    code, out, err = run(
        capsys,
        sample_db,
        "import",
        str(MAIL_FIXTURES / "outlook-accepted.eml"),
        str(MAIL_FIXTURES / "gmail-declined.eml"),
        str(MAIL_FIXTURES / "outlook-spoofed.eml"),
    )
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert f"{MAIL_FIXTURES / 'outlook-spoofed.eml'}: skipped 1" in lines
    assert (
        "  skipped outlook-spoofed.eml: reply for rahul.mehta@un.org sent by"
        " someone@elsewhere.example: not applied"
    ) in lines
    now = guests(sample_db, ZURICH)
    assert now["gsouza@cvg.org"][::2] == ("accepted", "2026-12-03")
    assert now["henrik.johansson@example.org"][::2] == ("declined", "2026-12-04")
    assert now["rahul.mehta@un.org"][0] == "invited"


def test_a_mailbox_of_random_bytes_is_one_line_exit_2_nothing_changed(
    capsys: pytest.CaptureFixture[str], sample_db: Path, tmp_path: Path
) -> None:
    import random

    garbage = random.Random(7).randbytes(3000)
    before = guests(sample_db, ZURICH)
    for name in ("random.mbox", "random.eml"):
        path = tmp_path / name
        path.write_bytes(garbage)
        code, out, err = run(capsys, sample_db, "import", str(path))
        assert (code, out) == (2, "")
        assert (
            err
            == f"convener: {path}: is not an e-mail message (no From: or Content-Type: header)\n"
        )
    assert guests(sample_db, ZURICH) == before


def test_mail_update_and_cancel_from_the_command_line(
    capsys: pytest.CaptureFixture[str], sample_db: Path, isolated_paths: Path
) -> None:
    write_config(isolated_paths)
    answered = [
        e for e, line in guests(sample_db, ZURICH).items() if line[0] in ("accepted", "tentative")
    ]
    code, out, _ = run(capsys, sample_db, "mail", "update", ZURICH)
    assert code == 0
    assert out.startswith(f"queued {len(answered)} messages")
    code, out, _ = run(capsys, sample_db, "mail", "cancel", ZURICH, "--status", "accepted")
    assert code == 0
    outbox = sample_db.parent / "outbox"
    cancels = list(outbox.glob("cancel-*-s2.eml"))
    accepted = [e for e, line in guests(sample_db, ZURICH).items() if line[0] == "accepted"]
    assert len(cancels) == len(accepted)
    # The cancellation supersedes the unsent updates of the same guests; the others stay.
    assert out.count("replaced the unsent update-") == len(accepted)
    assert len(list(outbox.glob("update-*.eml"))) == len(answered) - len(accepted)
    assert "METHOD:CANCEL" in cancels[0].read_text(encoding="utf-8")
    # Some guests' places cancelled: the event itself goes on.
    assert event_status(sample_db, ZURICH) != "cancelled"


def event_status(db: Path, event_id: str) -> str:
    connection = sqlite3.connect(db)
    (status,) = connection.execute(
        "select status from events where id = ?", [int(event_id)]
    ).fetchone()
    connection.close()
    return str(status)


def test_cancelling_the_whole_event_marks_it_cancelled_and_undo_puts_it_back(
    capsys: pytest.CaptureFixture[str], sample_db: Path, isolated_paths: Path
) -> None:
    write_config(isolated_paths)
    before = event_status(sample_db, ZURICH)
    assert before != "cancelled"
    # An update waits for the guests who answered: the cancellation withdraws it.
    code, out, err = run(capsys, sample_db, "mail", "update", ZURICH)
    assert code == 0, err
    outbox = sample_db.parent / "outbox"
    updates = {path.name: path.read_bytes() for path in outbox.glob("update-*.eml")}
    assert updates
    code, out, err = run(capsys, sample_db, "mail", "cancel", ZURICH)
    assert code == 0, err
    assert not list(outbox.glob("update-*.eml"))
    assert out.splitlines()[0].endswith(
        "; the event is marked cancelled (`convener undo` puts its status back and what"
        " it withdrew; the cancellations are then held, not sent)"
    )
    assert event_status(sample_db, ZURICH) == "cancelled"
    # Asked again: nothing new to mark, and the line does not say it again.
    code, out, _ = run(capsys, sample_db, "mail", "cancel", ZURICH)
    assert code == 0 and "marked cancelled" not in out
    code, out, err = run(capsys, sample_db, "undo")
    assert code == 0, err
    assert out.startswith('undone: Cancel event "'), out  # not "Edit event"
    assert out.splitlines()[1].startswith(
        f"{len(updates)} unsent messages it withdrew put back in the outbox; "
    )
    assert "its cancellations are held, not sent" in out.splitlines()[1]
    assert event_status(sample_db, ZURICH) == before
    # The updates the cancellation withdrew wait again, as they were.
    assert {path.name: path.read_bytes() for path in outbox.glob("update-*.eml")} == updates
    # The event is on again: its cancellations wait, held, and none goes out.
    cancels = sorted(outbox.glob("cancel-*.eml"))
    assert cancels
    recorder = Recorder()
    with smtp_server(recorder) as port:
        write_config(isolated_paths, port)
        code, out, err = run(capsys, sample_db, "mail", "send")
        # The updates go; the cancellations do not.
        assert code == 2 and len(recorder.received) == len(updates)
        assert err.count("(its cancellation undone?): delete it, or cancel the event again") == len(
            cancels
        )
        assert sorted(outbox.glob("cancel-*.eml")) == cancels
        # Cancelled again: they go.
        run(capsys, sample_db, "mail", "cancel", ZURICH)
        assert event_status(sample_db, ZURICH) == "cancelled"
        code, out, err = run(capsys, sample_db, "mail", "send")
    assert code == 0, err
    assert len(recorder.received) == len(updates) + len(cancels)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_login_with_a_password_command_and_a_wrong_password(
    capsys: pytest.CaptureFixture[str], sample_db: Path, isolated_paths: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("s3cret pass\nsecond line\n")
    recorder = Recorder()
    with smtp_server(recorder, login=("kelsey", "s3cret pass")) as port:
        write_config(isolated_paths, port, user="kelsey", password_command=f"cat {secret}")
        run(capsys, sample_db, "mail", "invitations", ZURICH)
        secret.write_text("wrong\n")
        code, out, err = run(capsys, sample_db, "mail", "send")
        assert code == 2
        assert "refused the login for kelsey (535)" in err
        assert "wrong" not in err + out
        assert recorder.received == []
        secret.write_text("s3cret pass\nsecond line\n")
        code, out, err = run(capsys, sample_db, "mail", "send")
    assert code == 0, err
    assert len(recorder.received) == 2
    assert "s3cret" not in out + err


def test_a_failing_password_command_is_one_line(
    capsys: pytest.CaptureFixture[str], sample_db: Path, isolated_paths: Path
) -> None:
    write_config(isolated_paths, 2, user="kelsey", password_command="false")
    run(capsys, sample_db, "mail", "invitations", ZURICH)
    code, _, err = run(capsys, sample_db, "mail", "send")
    assert code == 2
    assert err.strip() == "convener: mail.password_command failed (exit status 1)"


def test_seven_bit_makes_8bit_parts_quoted_printable(
    capsys: pytest.CaptureFixture[str], sample_db: Path, isolated_paths: Path
) -> None:
    from tui.domain.mail.outbox import read_message
    from tui.domain.mail.send import seven_bit

    write_config(isolated_paths)
    run(capsys, sample_db, "mail", "invitations", ZURICH)
    path = next((sample_db.parent / "outbox").glob("*.eml"))
    message = read_message(path)
    before = [p.get_content() for p in message.walk() if not p.is_multipart()]
    assert any(p["Content-Transfer-Encoding"] == "8bit" for p in message.walk())
    converted = seven_bit(message)
    assert all(p["Content-Transfer-Encoding"] != "8bit" for p in converted.walk())
    assert [p.get_content() for p in converted.walk() if not p.is_multipart()] == before
    calendar = next(p for p in converted.walk() if p.get_content_type() == "text/calendar")
    assert calendar.get_param("method") == "REQUEST"
    assert converted.as_bytes().isascii()


def test_a_message_another_run_took_meanwhile_is_not_sent_twice(
    capsys: pytest.CaptureFixture[str],
    sample_db: Path,
    isolated_paths: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tui.domain.mail import send

    recorder = Recorder()
    with smtp_server(recorder) as port:
        write_config(isolated_paths, port)
        run(capsys, sample_db, "mail", "invitations", ZURICH)
        outbox = sample_db.parent / "outbox"
        taken = sorted(outbox.glob("*.eml"))[-1]
        real = send.read_message  # type: ignore[attr-defined]  # imported there, patched below

        def read_then_lose(path: Path) -> object:
            message = real(path)
            if path == taken:  # a second `mail send` renames it right after we read it
                taken.rename(taken.with_name(taken.name + ".sending"))
            return message

        monkeypatch.setattr(send, "read_message", read_then_lose)
        code, out, err = run(capsys, sample_db, "mail", "send")
    assert code == 0, err
    assert "sent 1 message" in out
    assert len(recorder.received) == 1


def test_a_refused_recipient_leaves_that_message_and_the_others_go(
    capsys: pytest.CaptureFixture[str], sample_db: Path, isolated_paths: Path
) -> None:
    outbox = sample_db.parent / "outbox"
    with smtp_server(Recorder()) as port:
        write_config(isolated_paths, port)
        run(capsys, sample_db, "mail", "invitations", ZURICH)
    [first, second] = sorted(outbox.glob("*.eml"))
    refused = str(read_message(first)["To"].addresses[0].addr_spec)
    taken = str(read_message(second)["To"].addresses[0].addr_spec)
    recorder = Recorder(refuse_rcpt=refused)
    with smtp_server(recorder) as port:
        write_config(isolated_paths, port)
        code, out, err = run(capsys, sample_db, "mail", "send")
    assert code == 2
    assert "sent 1 message" in out and "1 guest marked invited" in out
    assert f"{first.name}: the server refused it (recipient refused, 550)" in err
    assert [r.rcpt_tos for r in recorder.received] == [[taken]]
    assert [p.name for p in outbox.glob("*.eml")] == [first.name]
    assert guests(sample_db, ZURICH)[refused][0] != "invited"


def test_a_file_in_the_outbox_that_is_no_message_stays_and_the_others_go(
    capsys: pytest.CaptureFixture[str], sample_db: Path, isolated_paths: Path
) -> None:
    """A message with its To: line taken out, or any file named .eml, stopped the whole
    run (nothing sent); it stays in the outbox, said, and the others go."""
    outbox = sample_db.parent / "outbox"
    with smtp_server(Recorder()) as port:
        write_config(isolated_paths, port)
        run(capsys, sample_db, "mail", "invitations", ZURICH)
    [first, second] = sorted(outbox.glob("*.eml"))
    text = first.read_bytes()
    first.write_bytes(b"\n".join(line for line in text.split(b"\n") if not line.startswith(b"To:")))
    stray = outbox / "x.eml"
    stray.write_bytes(b"\x00\x01 not mail")
    recorder = Recorder()
    with smtp_server(recorder) as port:
        write_config(isolated_paths, port)
        code, out, err = run(capsys, sample_db, "mail", "send")
    assert code == 2
    assert "sent 1 message" in out
    assert f"{first.name}: not a message to send (no To: header)" in err
    assert "x.eml: not a message to send (no To: header)" in err
    assert len(recorder.received) == 1
    assert sorted(p.name for p in outbox.glob("*.eml")) == sorted([first.name, "x.eml"])
    assert not second.exists()


def test_a_password_script_without_its_first_line_says_why_it_did_not_run(
    capsys: pytest.CaptureFixture[str], sample_db: Path, isolated_paths: Path, tmp_path: Path
) -> None:
    script = tmp_path / "secret.sh"
    script.write_text("echo hunter2\n")  # no #! line: the system cannot run it
    script.chmod(0o700)
    write_config(isolated_paths, 2, user="kelsey", password_command=str(script))
    run(capsys, sample_db, "mail", "invitations", ZURICH)
    code, _, err = run(capsys, sample_db, "mail", "send")
    assert code == 2
    assert err.startswith("convener: mail.password_command did not run: Exec format error")
    assert "hunter2" not in err


def test_a_database_does_not_send_another_databases_mail_from_a_shared_outbox(
    capsys: pytest.CaptureFixture[str], sample_db: Path, isolated_paths: Path
) -> None:
    """Two databases in one folder share outbox/ beside them: the other one's send held
    this one's invitations back only by luck of its guests (its 10k twin would have sent
    the dinner's cancellations)."""
    from tui.domain.store import Store

    write_config(isolated_paths)
    code, _, err = run(capsys, sample_db, "mail", "invitations", ZURICH)
    assert code == 0, err
    outbox = sample_db.parent / "outbox"
    queued = sorted(outbox.glob("*.eml"))
    assert queued
    other = sample_db.parent / "other.db"
    Store(other).close()
    recorder = Recorder()
    with smtp_server(recorder) as port:
        write_config(isolated_paths, port)
        code, out, err = run(capsys, other, "mail", "send")
        assert recorder.received == []
        assert (code, err) == (0, "")
        assert out.endswith(f"\n{len(queued)} messages from another database left in the outbox\n")
        assert sorted(outbox.glob("*.eml")) == queued
        # One queued before the stamp (by hand, an older Convener) is held as before.
        unstamped = queued[0].read_bytes().replace(b"\nX-Convener-Database:", b"\nX-Old:")
        queued[0].write_bytes(unstamped)
        code, _, err = run(capsys, other, "mail", "send")
        assert recorder.received == []
        assert code == 2 and err.count("its event is not in this database") == 1
        code, _, err = run(capsys, sample_db, "mail", "send")
    assert code == 0, err
    assert len(recorder.received) == len(queued)


def test_two_databases_in_one_folder_each_send_only_their_own(
    capsys: pytest.CaptureFixture[str], sample_db: Path, isolated_paths: Path
) -> None:
    """Both use outbox/ beside them (the SPEC's default). A send from one leaves the
    other's messages where they are, says so, and marks none of its own guests."""
    from tui.domain.planner import Planner
    from tui.domain.store import Store
    from tui.sample import load_sample

    other = sample_db.parent / "other.db"
    store = Store(other)
    load_sample(Planner(store, today=lambda: TODAY))
    store.close()
    outbox = sample_db.parent / "outbox"
    recorder = Recorder()
    with smtp_server(recorder) as port:
        write_config(isolated_paths, port)
        assert run(capsys, sample_db, "mail", "invitations", ZURICH)[0] == 0
        queued_here = sorted(p.name for p in outbox.glob("*.eml"))
        assert len(queued_here) == 2
        before = guests(other, ZURICH)
        assert run(capsys, other, "mail", "send") == (
            0,
            "nothing of this database's to send\n"
            "2 messages from another database left in the outbox\n",
            "",
        )
        assert recorder.received == []
        assert sorted(p.name for p in outbox.glob("*.eml")) == queued_here
        assert guests(other, ZURICH) == before
        # Its own go, the other's stay; each database marks its own guests.
        assert run(capsys, other, "mail", "invitations", ZURICH)[0] == 0
        code, out, _ = run(capsys, other, "mail", "send")
        assert code == 0 and out.startswith("sent 2 messages through 127.0.0.1")
        assert out.endswith("\n2 messages from another database left in the outbox\n")
        assert to_invite(other, ZURICH) == []
        assert len(to_invite(sample_db, ZURICH)) == 2
        assert sorted(p.name for p in outbox.glob("*.eml")) == queued_here
        code, out, _ = run(capsys, sample_db, "mail", "send")
        assert code == 0 and out.startswith("sent 2 messages") and "another" not in out
        assert to_invite(sample_db, ZURICH) == []
        assert len(recorder.received) == 4


def test_a_message_queued_before_the_database_stamp_is_still_sent(
    capsys: pytest.CaptureFixture[str], sample_db: Path, isolated_paths: Path
) -> None:
    outbox = sample_db.parent / "outbox"
    recorder = Recorder()
    with smtp_server(recorder) as port:
        write_config(isolated_paths, port)
        assert run(capsys, sample_db, "mail", "invitations", ZURICH)[0] == 0
        for path in outbox.glob("*.eml"):
            text = path.read_bytes()
            assert b"\nX-Convener-Database: " in text
            lines = text.split(b"\n")
            path.write_bytes(b"\n".join(x for x in lines if not x.startswith(b"X-Convener-Data")))
        code, out, _ = run(capsys, sample_db, "mail", "send")
        assert code == 0 and out.startswith("sent 2 messages")
        assert len(recorder.received) == 2
        assert to_invite(sample_db, ZURICH) == []


def test_cancelling_in_one_database_withdraws_none_of_the_others_messages(
    capsys: pytest.CaptureFixture[str], sample_db: Path, isolated_paths: Path
) -> None:
    """The two sample databases share their events' uids: a cancellation queued by one
    set aside the other's invitations to the same event (withdrawn/)."""
    from tui.domain.planner import Planner
    from tui.domain.store import Store
    from tui.sample import load_sample

    other = sample_db.parent / "other.db"
    store = Store(other)
    load_sample(Planner(store, today=lambda: TODAY))
    store.close()
    write_config(isolated_paths)
    outbox = sample_db.parent / "outbox"
    assert run(capsys, sample_db, "mail", "invitations", ZURICH)[0] == 0
    invitations = sorted(p.name for p in outbox.glob("invitation-*.eml"))
    code, out, _ = run(capsys, other, "mail", "cancel", ZURICH)
    assert code == 0 and "; withdrew " not in out
    assert sorted(p.name for p in outbox.glob("invitation-*.eml")) == invitations
    assert not (outbox / "withdrawn").exists()


def test_a_mistyped_status_is_said_before_a_missing_sender(
    capsys: pytest.CaptureFixture[str], sample_db: Path, isolated_paths: Path
) -> None:
    """What the officer typed is checked first: without [mail] in the config, a bad
    --status was hidden behind "no sender"."""
    code, out, err = run(capsys, sample_db, "mail", "invitations", ZURICH, "--status", "maybe")
    assert (code, out) == (2, "")
    assert err.startswith("convener: --status: 'maybe' is not a guest status")
    code, _, err = run(capsys, sample_db, "mail", "invitations", ZURICH)
    assert code == 2 and "no sender" in err


def test_queueing_for_a_status_nobody_has_says_so(
    capsys: pytest.CaptureFixture[str], sample_db: Path, isolated_paths: Path
) -> None:
    write_config(isolated_paths)
    code, out, _ = run(capsys, sample_db, "mail", "invitations", ZURICH, "--status", "no-show")
    assert (code, out) == (0, "nothing queued: no guest is no-show\n")
    assert not (sample_db.parent / "outbox").exists()
