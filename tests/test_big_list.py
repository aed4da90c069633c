"""Must show: `seed-demo --count 100000`, then opening the list loads it lazily."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import resolve_paths
from core.context import open_context
from tests.helpers import big_seed

COUNT = big_seed.COUNT


@pytest.fixture(scope="module")
def big_data_dir() -> Path:
    """`seed-demo --count 100000` in a data folder; its keyring file beside the data."""
    folder = big_seed.wait()
    (folder / "data" / "keyring.json").write_bytes((folder / "keyring.json").read_bytes())
    return folder / "data"


@pytest.mark.slow
def test_hundred_thousand_rows_open_lazily(big_data_dir: Path, qtbot) -> None:
    import keyring

    from core.security.demo_keyring import FileKeyring
    from ui.app import make_main_window

    keyring.set_keyring(FileKeyring(big_data_dir / "keyring.json"))  # the seeder's keys
    ctx = open_context(resolve_paths(big_data_dir))
    try:
        window = make_main_window(ctx, "en")
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        model = window.model
        page = model.page_size
        # the first page is read on the window's database lane, off the GUI thread
        qtbot.waitUntil(lambda: not model.loading, timeout=30_000)
        assert model.total() == COUNT
        # the view may ask for one more page to fill the screen, never for everything
        assert model.loaded_count() <= 2 * page
        assert model.canFetchMore()
        before = model.loaded_count()
        view = window.table
        bar = view.verticalScrollBar()
        for _ in range(3):  # each scroll to the bottom asks for one more page, no more
            loaded, bottom = model.loaded_count(), bar.maximum()
            view.scrollToBottom()
            # the next page came in and the view laid it out (a longer scroll range)
            qtbot.waitUntil(
                lambda n=loaded, top=bottom: model.loaded_count() > n and bar.maximum() > top,
                timeout=5000,
            )
        assert before < model.loaded_count() <= before + 4 * page
        assert model.loaded_count() < COUNT // 10

        # sorting and searching reload from the first page, still lazily
        from PySide6.QtCore import Qt

        from ui.applications_model import SORT_KEYS

        total_column = SORT_KEYS.index("order_total_fen")
        model.sort(total_column, Qt.SortOrder.DescendingOrder)  # largest first
        qtbot.waitUntil(lambda: not model.loading, timeout=30_000)
        assert model.loaded_count() <= 2 * page
        totals = [model.row_data(i).order_total_fen for i in range(model.loaded_count())]
        assert totals == sorted(totals, reverse=True)
        tail = model.row_data(0).phone_tail
        window.search.setText(tail)
        window.apply_filter()
        qtbot.waitUntil(lambda: not model.loading, timeout=30_000)
        assert 0 < model.total() < COUNT
        assert all(
            model.row_data(i).phone_tail == tail or tail in model.row_data(i).customer_name
            for i in range(model.loaded_count())
        )
        window.close()
    finally:
        ctx.close()
