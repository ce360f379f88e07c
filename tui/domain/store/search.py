"""Full-text search over the FTS5 index."""

from __future__ import annotations

import sqlite3
from typing import Any

from tui.domain.kinds import SEARCH_CODES
from tui.domain.store.connection import Connection


class Search(Connection):
    """Matching and counting rows of the search index."""

    def search(
        self,
        match: str,
        limit: int,
        *,
        ranked: bool,
        kind: str | None = None,
        other_than: list[str] | tuple[str, ...] = (),
    ) -> list[dict[str, Any]]:
        """Rows of the FTS index matching an FTS5 query (see tui.domain.search.fts_query):
        of one `kind` only, or of every kind but those `other_than`, when given.

        Ranked by bm25 with titles and names weighing ten times the rest (its `score`
        given, lower first); unranked (index order) when asked, which keeps one-letter
        prefixes cheap on a large database. A kind is told by the rowid (SEARCH_CODES):
        the kind column is in the table's content, read row by row: looking for a kind
        that no match has read every match's row (25 ms for 9,000 matches at 100k
        events; by the rowid, 0.7 ms).
        """
        score = "bm25(search_index, 0.0, 0.0, 10.0, 1.0)"
        where = "search_index match ?"
        arguments: list[object] = [match]
        if kind is not None:
            where += " and +rowid % 8 = ?"
            arguments.append(SEARCH_CODES.get(kind, 0))
        if other_than:
            where += f" and +rowid % 8 not in ({', '.join('?' * len(other_than))})"
            arguments += [SEARCH_CODES.get(name, 0) for name in other_than]
        sql = (
            "select kind, record_id, title,"
            " snippet(search_index, -1, char(2), char(3), '…', 10) as snippet"
            f"{f', {score} as score' if ranked else ''}"
            f" from search_index where {where}{f' order by {score}' if ranked else ''} limit ?"
        )
        try:
            return self._rows(sql, [*arguments, limit])
        except sqlite3.OperationalError as error:
            # The query is built from quoted words, so FTS5 should accept it; if a corner of
            # the tokenizer still refuses one, that is "nothing found", not a crash.
            if "fts5" in str(error):
                return []
            raise

    def match_count(self, match: str, cap: int) -> int:
        """How many index rows match, counted only up to `cap` (cheap on a large index)."""
        try:
            rows = self._rows(
                "select count(*) as n from"
                " (select 1 from search_index where search_index match ? limit ?)",
                [match, cap],
            )
        except sqlite3.OperationalError as error:
            if "fts5" in str(error):
                return 0
            raise
        return int(rows[0]["n"])

    def search_symbols(self, symbols: list[str], limit: int) -> list[dict[str, Any]]:
        """Rows whose title or text holds every one of `symbols` (an emoji, a '§': what
        the tokenizer leaves out of the index), titles first, with their whole text; a scan,
        for queries that have no word to match."""
        has = " and ".join(["instr(title || ' ' || coalesce(body, ''), ?) > 0"] * len(symbols))
        return self._rows(
            "select kind, record_id, title, body from search_index"
            f" where {has} order by instr(title, ?) = 0 limit ?",
            [*symbols, symbols[0], limit],
        )

    def symbol_count(self, symbols: list[str], cap: int) -> int:
        """How many index rows hold every one of `symbols`, counted up to `cap`."""
        has = " and ".join(["instr(title || ' ' || coalesce(body, ''), ?) > 0"] * len(symbols))
        rows = self._rows(
            f"select count(*) as n from (select 1 from search_index where {has} limit ?)",
            [*symbols, cap],
        )
        return int(rows[0]["n"])
