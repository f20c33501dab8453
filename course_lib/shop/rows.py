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


def row_types(**datasets: str) -> tuple[type, ...]:
    """The row types named by the keywords, of the datasets given as their values, in order.

    >>> from dataclasses import fields
    >>> Agent, = row_types(Agent="agents")
    >>> Agent.__name__, [f.name for f in fields(Agent)]
    ('Agent', ['客服编号', '昵称', '岗位', '入职日期'])
    """
    return tuple(row_type(dataset, name) for name, dataset in datasets.items())


# the shop, its staff and its buyers
Product, AgentRow, Customer = row_types(Product="products", AgentRow="agents", Customer="customers")
# trades: orders, their items, the seller's notes and the buyers' reviews
Order, Item, OrderNote, Review = row_types(Order="orders", Item="order_items", OrderNote="order_notes", Review="reviews")
# service: chats and payment reminders
Session, Message, Reminder = row_types(Session="chat_sessions", Message="chat_messages", Reminder="reminders")
# the agents' monthly targets and results
Target, AgentMonth = row_types(Target="agent_targets", AgentMonth="agent_kpi")


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
