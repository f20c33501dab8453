"""Rows and tables of the shop world, typed by the dataset declarations.

Each table's columns are declared once, in :data:`course_lib.shop.datasets.DATASETS`; the
row types here are built from those declarations, so the generator names every value by
its column (``Order(订单编号="O00001", …)``) and a CSV's header can never disagree with
``load_dataset``.

>>> row = Item(订单编号="O99999", 商品编号="P99", 商品名称="示例", 数量=2, 单价=9.9)
>>> Table("order_items", [row]).to_csv().decode("utf-8").splitlines()[1]
'O99999,P99,示例,2,9.90'
"""
from __future__ import annotations

import csv
import io
from dataclasses import astuple, dataclass, field, make_dataclass
from datetime import date, datetime

from .datasets import DATASETS

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def row_type(dataset: str, name: str) -> type:
    """A frozen dataclass whose fields are the columns of ``dataset``, in order."""
    cls = make_dataclass(name, list(DATASETS[dataset].columns), frozen=True)
    cls.__module__ = __name__
    return cls


# the shop, its staff and its buyers
Product = row_type("products", "Product")
AgentRow = row_type("agents", "AgentRow")
Customer = row_type("customers", "Customer")

# trades: orders, their items, the seller's notes and the buyers' reviews
Order = row_type("orders", "Order")
Item = row_type("order_items", "Item")
OrderNote = row_type("order_notes", "OrderNote")
Review = row_type("reviews", "Review")

# service: chats and payment reminders
Session = row_type("chat_sessions", "Session")
Message = row_type("chat_messages", "Message")
Reminder = row_type("reminders", "Reminder")

# the agents' monthly targets and results
Target = row_type("agent_targets", "Target")
AgentMonth = row_type("agent_kpi", "AgentMonth")


def cell(value) -> str:
    """One CSV cell: times ``YYYY-MM-DD HH:MM:SS``, dates ISO, 是/否, floats with 2 decimals."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime(TIME_FORMAT)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


@dataclass
class Table:
    """The rows of one dataset (its name in ``DATASETS``), written as UTF-8 CSV."""

    dataset: str
    rows: list = field(default_factory=list)

    @property
    def file(self) -> str:
        """The file name inside ``data/shop/``."""
        return DATASETS[self.dataset].file.rsplit("/", 1)[-1]

    def to_csv(self) -> bytes:
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(list(DATASETS[self.dataset].columns))
        writer.writerows([[cell(v) for v in astuple(row)] for row in self.rows])
        return buffer.getvalue().encode("utf-8")
