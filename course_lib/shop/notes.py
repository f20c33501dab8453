"""卖家备注 with a flag colour (unit 05, 备注订单): the shop's flag convention and the rules of a good note.

* :data:`FLAGS` — 「禾悦优选」's flag colours and what each means (a shop convention, taught in
  the notebook; ``data/shop/order_notes.csv`` uses 绿, 黄 and 紫 in the same sense);
* :func:`note_problems` — what is wrong with a note's text (judging the buyer, a full phone or ID
  number, an off-platform or fake-review arrangement, too short or too long);
* :func:`add_note` — a new tuple of :class:`Note` with one more note, refused with every reason;
* :func:`current_notes`, :func:`notes_from_table`, :func:`notes_frame` — the note each order shows
  now, and conversions from and to the ``order_notes`` table.

>>> from datetime import datetime
>>> notes = add_note((), "o1546", "蓝旗", "活动赠品：皮具护理套装，请随包裹发出", "禾悦-小雅", datetime(2025, 12, 31, 10))
>>> notes[0].order_id, notes[0].flag
('O01546', '蓝')
"""
from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType

from ..text import plain_str, to_halfwidth
from .order_lookup import normalize_order_id

FLAGS = MappingProxyType({
    "红": "紧急：今天必须处理（如顾客投诉、发货前改地址）",
    "黄": "待跟进：在等顾客回复或等核实（如催付后未回复、物流异常）",
    "绿": "已处理完毕",
    "蓝": "发货要求：仓库打包时要看（如活动赠品）",
    "紫": "售后：退换货、中差评的跟进",
    "灰": "无旗帜",
})
"""「禾悦优选」的旗帜约定（本课程约定；真实店铺各有各的约定）。"""

_FLAG_ALIASES = {f"{c}{s}": c for c in FLAGS for s in ("旗", "色", "色旗", "色旗帜", "旗帜")}
_FLAG_ALIASES.update({"无": "灰", "无旗": "灰", "无旗帜": "灰", "不插旗": "灰"})

NOTE_MIN, NOTE_MAX = 4, 200
_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_ID_CARD = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
JUDGING_WORDS = ("难缠", "奇葩", "事多", "事儿多", "事儿妈", "神经病", "有病", "骗子", "极品", "刁民", "穷鬼",
                 "麻烦精", "脑子有问题", "白痴", "傻")
"""Words that judge the buyer; a 备注 states facts only (colleagues and the buyer's later agents read it)."""
RISK_WORDS = ("微信", "vx", "qq", "返现", "刷单", "私下", "转账给我")
"""Words that record an off-platform or fake-review arrangement; such a 备注 is refused."""


@dataclass(frozen=True)
class Note:
    """One 卖家备注: which order, when, by which agent, the flag colour and the text."""

    order_id: str
    at: datetime
    agent: str
    flag: str
    text: str


def normalize_flag(flag: object) -> str:
    """``红`` from ``红``, ``红旗``, ``红色``; ``灰`` for 无旗帜.

    >>> normalize_flag("黄旗"), normalize_flag("无")
    ('黄', '灰')
    """
    if not isinstance(flag, str):
        raise ValueError(f"旗帜颜色可选：{'、'.join(FLAGS)}（灰＝无旗帜）。")
    text = "".join(to_halfwidth(plain_str(flag)).split())[:10]
    found = text if text in FLAGS else _FLAG_ALIASES.get(text)
    if found is None:
        raise ValueError(f"旗帜颜色可选：{'、'.join(FLAGS)}（灰＝无旗帜）。")
    return found


def note_problems(text: object) -> list[str]:
    """What is wrong with a 备注 text (empty list: fine).

    A 备注 states facts: what was done, what was agreed, what is next.  Colleagues read it, so
    it holds no judgement of the buyer, no full phone or ID number, and never an off-platform
    or fake-review arrangement.

    >>> note_problems("12/31 10:05，千牛催付，顾客说中午付款")
    []
    >>> note_problems("这人很难缠，电话13812345678")
    ['备注里只写事实，不写对顾客的评价（出现了「难缠」）。', '不要把完整的手机号写进备注，需要时写“手机尾号5678”。']
    """
    if not isinstance(text, str):
        return ["备注应写成文字。"]
    raw = plain_str(text).strip()
    folded = to_halfwidth(raw).casefold()
    problems = []
    if len("".join(raw.split())) < NOTE_MIN:
        problems.append(f"备注太短：写清楚做了什么、结果如何（至少{NOTE_MIN}个字）。")
    if len(raw) > NOTE_MAX:
        problems.append(f"备注太长：不超过{NOTE_MAX}个字，只写要点。")
    judged = [w for w in JUDGING_WORDS if w in folded]
    if judged:
        problems.append(f"备注里只写事实，不写对顾客的评价（出现了「{'」「'.join(judged)}」）。")
    phone = _PHONE.search(folded)
    if phone:
        problems.append(f"不要把完整的手机号写进备注，需要时写“手机尾号{phone.group(0)[-4:]}”。")
    if _ID_CARD.search(folded):
        problems.append("不要把身份证号写进备注。")
    risky = [w for w in RISK_WORDS if w in folded]
    if risky:
        problems.append(f"备注里出现了「{'」「'.join(risky)}」：站外交易、好评返现、刷单都不能做，也不能记成约定。")
    return problems


def add_note(notes: Sequence[Note], order_id: str, flag: str, text: str, agent: str, at: datetime,
             known_orders: Collection[str] | None = None) -> tuple[Note, ...]:
    """A new tuple of notes with one more note (the input is not changed).

    ``known_orders`` (e.g. ``set(orders["订单编号"])``) rejects notes on orders that do not exist.
    Any problem from :func:`note_problems` refuses the note with all the reasons.
    """
    if not isinstance(notes, (tuple, list)) or not all(isinstance(n, Note) for n in notes):
        raise ValueError("notes 应是备注记录的列表，第一次添加时写 ()。")
    oid = normalize_order_id(order_id)
    if known_orders is not None and oid not in known_orders:
        raise ValueError(f"找不到订单{oid}，请先查找并选中订单再写备注。")
    colour = normalize_flag(flag)
    problems = note_problems(text)
    if problems:
        raise ValueError("备注没有保存：" + "".join(problems))
    if not isinstance(agent, str) or not agent.strip():
        raise ValueError("请写上写备注的客服（千牛子账号），例如“禾悦-小雅”。")
    if not isinstance(at, datetime):
        raise ValueError("备注时间应是 datetime，例如 datetime(2025, 12, 31, 10, 0)。")
    return (*notes, Note(oid, at, plain_str(agent).strip(), colour, plain_str(text).strip()))


def current_notes(notes: Iterable[Note]) -> dict[str, Note]:
    """The 备注 each order shows now: its latest note (千牛 shows one 备注 and one flag per order);
    of two notes written at the same moment, the one added later wins."""
    latest: dict[str, Note] = {}
    for note in notes:
        if note.order_id not in latest or note.at >= latest[note.order_id].at:
            latest[note.order_id] = note
    return latest


NOTE_COLUMNS = ["订单编号", "备注时间", "客服", "旗帜", "备注内容"]


def notes_from_table(table, agents=None) -> tuple[Note, ...]:
    """The notes of the ``order_notes`` dataset (客服编号 shown as the agent's 昵称 when ``agents`` is given)."""
    names = dict(zip(agents["客服编号"], agents["昵称"])) if agents is not None else {}
    return tuple(Note(str(r["订单编号"]), r["备注时间"].to_pydatetime(), names.get(r["客服编号"], str(r["客服编号"])),
                      str(r["旗帜"]), str(r["备注内容"])) for _, r in table.iterrows())


def notes_frame(notes: Iterable[Note]):
    """The notes as a table with the columns of :data:`NOTE_COLUMNS`."""
    import pandas as pd

    rows = [[n.order_id, n.at, n.agent, n.flag, n.text] for n in notes]
    return pd.DataFrame(rows, columns=NOTE_COLUMNS)
