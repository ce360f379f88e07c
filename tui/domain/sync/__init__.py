"""Team sharing through a CalDAV/CardDAV server, offline first (issue 23).

records (records <-> documents), carriers (documents <-> iCalendar/vCard), merge (three-way),
dav (the server, over python-caldav), ledger (shadows, outbox, tokens, conflicts), engine.
"""
