"""One application, one scenario: the catalog decides each item's category.

An appliance and a piece of furniture are financed on different terms (rate, terms,
down payment), so a basket mixing both cannot take either scenario's terms: it is
refused with a message saying to split it into one application per category. A basket
whose catalog items all belong to one category must carry that scenario. Items the
catalog does not know (free-price lines) follow the scenario the clerk chose.

SKUs are matched case- and width-insensitively (``apl-frg-500`` and ``ＡＰＬ-ＦＲＧ-500``
are ``APL-FRG-500``): a scanner or an input method must not turn a catalog item into a
free-price line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from core import i18n
from core.applications.labels import scenario_text
from core.catalog import fold
from core.models import ApplicationInput, CatalogItem, Scenario
from core.operators.actor import ServiceError
from core.validation.fields import FieldError, _err

MESSAGES: dict[str, dict[str, str]] = {
    "BASKET_MIXED": {
        "zh_CN": "订单中同时有家电和家具商品，分期条件不同，不能放在同一张申请里；"
        "请拆分为两张申请（家电一张、家具一张）",
        "en": "The order mixes appliance and furniture items, which are financed on "
        "different terms; split it into two applications (one per category)",
    },
    "SCENARIO_NOT_CATALOG": {
        "zh_CN": "商品目录中这些商品属于“{category_zh}”，请将商品类别选为“{category_zh}”",
        "en": "The catalog lists these items as “{category_en}”; choose “{category_en}” "
        "as the category",
    },
}
i18n.register(MESSAGES)
_SCENARIOS = frozenset(s.value for s in Scenario)


def find_sku(items: Iterable[CatalogItem], sku: str) -> CatalogItem | None:
    """The catalog entry whose SKU equals ``sku`` ignoring case and width."""
    needle = fold(sku)
    if not needle:
        return None
    for item in items:
        if fold(item.sku) == needle:
            return item
    return None


def basket_errors(scenario: str, categories: Sequence[str | None]) -> list[FieldError]:
    """What is wrong with ``scenario`` for lines of these catalog ``categories`` (None
    for a line the catalog does not know): mixed categories, or a scenario other than
    the one category of the catalog items."""
    known = {c for c in categories if c in _SCENARIOS}
    if len(known) > 1:
        return [_err("order.lines", "BASKET_MIXED")]
    if known and scenario not in known:
        category = next(iter(known))
        return [
            _err(
                "scenario",
                "SCENARIO_NOT_CATALOG",
                category=category,
                category_zh=scenario_text(category, "zh_CN"),
                category_en=scenario_text(category, "en"),
            )
        ]
    return []


def require_one_category(items: Sequence[CatalogItem], app: ApplicationInput) -> None:
    """Refuse (ServiceError with the code of :func:`basket_errors`) an application whose
    catalog ``items`` are of mixed categories or of another category than its scenario."""
    categories = [
        found.category if (found := find_sku(items, line.sku)) is not None else None
        for line in app.lines
    ]
    errors = basket_errors(app.scenario.value, categories)
    if errors:
        raise ServiceError(errors[0].code, **errors[0].params)
