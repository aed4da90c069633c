"""The catalog page: search ignoring case and character width, the category and price
filters, and the change history of one SKU or of the whole catalog."""

from __future__ import annotations

from typing import Any

from core.context import AppContext
from core.models import CatalogItem
from ui.catalog_page import CatalogDialog
from ui.main_window import MainWindow


def _open(main_window: MainWindow) -> CatalogDialog:
    main_window.field_tools.act_catalog.trigger()
    page = main_window.field_tools.catalog
    assert page is not None and page.isVisible()
    return page


def test_search_category_and_price(qtbot: Any, main_window: MainWindow) -> None:
    page = _open(main_window)
    assert [i.sku for i in page.items] == ["6901234567892", "6909876543210"]
    page.search.setText("６９０１")  # full-width digits, as an IME types them
    page.apply_filter()
    assert [i.sku for i in page.items] == ["6901234567892"]
    page.search.setText("bcd-470")  # the name, in lower case
    page.apply_filter()
    assert [i.name for i in page.items] == ["海尔冰箱 BCD-470"]
    page.search.clear()
    page.category.setCurrentIndex(page.category.findData("furniture"))
    assert [i.sku for i in page.items] == ["6909876543210"]
    assert page.category.currentText() == "Furniture"
    page.category.setCurrentIndex(0)
    page.min_price.setValue(3000)
    page.apply_filter()
    assert [i.sku for i in page.items] == ["6901234567892"]
    page.max_price.setValue(3500)
    page.apply_filter()
    assert page.items == [] and page.count_label.text() == "0 items"
    page.close()


def test_change_history(qtbot: Any, main_window: MainWindow, ctx: AppContext) -> None:
    ctx.applications.load_catalog(
        [
            CatalogItem("6901234567892", "海尔冰箱 BCD-470", "appliance", 3799_00),
            CatalogItem("6909876543210", "实木餐桌 1.4m", "furniture", 2599_00),
        ]
    )
    page = _open(main_window)
    assert page.history_box.title() == "Change history: whole catalog"
    assert len(page.changes) >= 3  # two added, one price changed
    page.item_table.selectRow(0)
    assert page.history_box.title() == "Change history: 6901234567892"
    assert [c.change for c in page.changes] == ["changed", "added"]
    cells = page.history_model.cells[0]
    assert cells[2] == "changed" and "3,999.00" in cells[3] and "3,799.00" in cells[4]
    page.close()
