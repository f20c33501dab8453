"""Multi-buyer reception scripts (unit 06): the data model, validation and loading.

A script (``data/scenarios/multi/<id>.yaml``, format in ``data/README_content.md`` §3b)
lists 3–5 buyers who write to one agent at the same time, each on their own schedule.
Each buyer has turns; a turn is 1–3 buyer messages, then either options (scored 0–10,
the single highest score is the best reply) or a free reply scored by the reply scorer
(``rubric:`` as in a scenario, with the script's ``card`` and ``facts`` as context).
Playing a script is :class:`course_lib.content.reception.Reception`.

>>> s = load_reception("u06_reception")
>>> [b.nickname for b in s.select(3).buyers]
['橙子_0730', '小满_0812', '大熊_77']
>>> reception_from_data({"id": "x"}, "x.yaml")
Traceback (most recent call last):
...
course_lib.content.loading.ContentError: x.yaml：缺少 unit（文字）。
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from typing import Any

from .claims import Facts
from .loading import ContentError, ContentFile, read_content
from .rubric import ReplySpec, spec_from_data
from .rubric_rules import facts_from_data
from .scenarios import scored_options, text_field

FOLDER = "scenarios/multi"        # encoded like the other scenarios in the student edition
PRESET_SIZES = (3, 4, 5)
MAX_BUYERS = 5
DEFAULT_PATIENCE = 60.0            # seconds until a nudge, and again until the buyer leaves
DEFAULT_LIMIT = 600.0              # a session lasts at most 10 minutes
NUDGE = "人呢？还在吗？"
SCRIPT_KEYS = {"id", "unit", "title", "intro", "agent", "start", "time_limit", "bot_greeting", "quick_reply",
               "card", "facts", "buyers"}
TURN_KEYS = {"messages", "gaps", "delay", "patience", "nudge", "options", "reply"}


@dataclass(frozen=True)
class Option:
    text: str
    score: int                     # 0–10
    feedback: str


@dataclass(frozen=True)
class BuyerTurn:
    """One question of a buyer: its messages, then options or a free reply."""

    messages: tuple[str, ...]
    gaps: tuple[float, ...] = ()   # seconds between consecutive messages
    delay: float = 0.0             # seconds after the agent answered the previous turn
    patience: float = DEFAULT_PATIENCE
    nudge: str = NUDGE
    options: tuple[Option, ...] = ()
    reply: ReplySpec | None = None
    reference: str = ""

    @property
    def kind(self) -> str:
        return "reply" if self.reply is not None else "options"

    @property
    def best(self) -> Option | None:
        return max(self.options, key=lambda o: o.score) if self.options else None

    @property
    def text(self) -> str:
        """The buyer's whole question (what a free reply answers)."""
        return "\n".join(self.messages)


@dataclass(frozen=True)
class Buyer:
    key: str
    nickname: str
    customer_id: str
    arrival: float                 # seconds after the start of the first message
    turns: tuple[BuyerTurn, ...]
    success: str = "下单成功"       # the outcome when the buyer is served well


@dataclass(frozen=True)
class ReceptionScript(ContentFile):
    agent: str
    buyers: tuple[Buyer, ...]
    intro: str = ""
    start: datetime = datetime(2025, 11, 15, 10, 0)
    time_limit: float = DEFAULT_LIMIT
    bot_greeting: str = ""
    quick_reply: str = "您好，我是客服{agent}，马上为您查看～"
    card: tuple[str, ...] = ()
    facts: Facts | None = None

    def select(self, n: int) -> ReceptionScript:
        """The same script with its first ``n`` buyers (the presets: 3, 4 or 5)."""
        if isinstance(n, bool) or not isinstance(n, int) or n not in PRESET_SIZES:
            raise ContentError(f"同时接待的顾客人数应是3、4或5，现在是「{n}」。")
        if n > len(self.buyers):
            raise ContentError(f"模拟脚本「{self.id}」只有{len(self.buyers)}位顾客，不够{n}位。")
        return replace(self, buyers=self.buyers[:n])

    @property
    def quick_text(self) -> str:
        return self.quick_reply.replace("{agent}", self.agent)


def _seconds(value: Any, where: str, name: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ContentError(f"{where}：{name} 应是秒数，现在是「{value}」。")
    if not low <= value <= high:
        raise ContentError(f"{where}：{name} 应在{low:g}～{high:g}秒之间，现在是{value:g}。")
    return float(value)


def _options(raw: Any, where: str) -> tuple[Option, ...]:
    options = [Option(text_field(o, "text", w), score, text_field(o, "feedback", w))
               for w, o, score in scored_options(raw, where)]
    top = max(o.score for o in options)
    if sum(o.score == top for o in options) != 1:
        raise ContentError(f"{where}：最高分的选项应恰好一个（它就是最佳回复）。")
    return tuple(options)


def _turn(raw: Any, where: str, first: bool, context: tuple[str, Facts | None]) -> BuyerTurn:
    if not isinstance(raw, dict):
        raise ContentError(f"{where}：应是一个字典。")
    unknown = sorted(set(map(str, raw)) - TURN_KEYS)
    if unknown:
        raise ContentError(f"{where}：有未知字段 {'、'.join(unknown)}。")
    messages = raw.get("messages")
    if not (isinstance(messages, list) and 1 <= len(messages) <= 3
            and all(isinstance(m, str) and m.strip() for m in messages)):
        raise ContentError(f"{where}：messages 应是1～3条顾客消息（文字）。")
    gaps = raw.get("gaps", [])
    if not isinstance(gaps, list) or len(gaps) != len(messages) - 1:
        raise ContentError(f"{where}：gaps 应比 messages 少一项（相邻两条消息间隔的秒数）。")
    gaps = tuple(_seconds(g, where, "gaps", 1, 10) for g in gaps)
    if first and "delay" in raw:
        raise ContentError(f"{where}：第一轮从顾客到达时开始，不写 delay。")
    delay = _seconds(raw.get("delay", 0 if first else 10), where, "delay", 0 if first else 1, 300)
    patience = _seconds(raw.get("patience", DEFAULT_PATIENCE), where, "patience", 15, 600)
    nudge = raw.get("nudge", NUDGE)
    if not isinstance(nudge, str) or not nudge.strip():
        raise ContentError(f"{where}：nudge（顾客催促的话）应是文字。")
    if ("options" in raw) == ("reply" in raw):
        raise ContentError(f"{where}：需要 options（选项）或 reply（自由回复）二者之一。")
    base = BuyerTurn(tuple(messages), gaps, delay, patience, nudge)
    if "options" in raw:
        return replace(base, options=_options(raw["options"], where))
    r = raw["reply"]
    if not isinstance(r, dict) or set(r) - {"rubric", "reference"}:
        raise ContentError(f"{where}：reply 应写成 {{rubric: …, reference: 参考回复}}。")
    task, facts = context
    spec = spec_from_data(r.get("rubric"), where).with_context(base.text, task, facts)
    return replace(base, reply=spec, reference=text_field(r, "reference", where))


def reception_from_data(raw: Any, filename: str) -> ReceptionScript:
    """Validate a script dict; raises :class:`ContentError` naming the file, buyer and turn."""
    if not isinstance(raw, dict):
        raise ContentError(f"{filename}：文件内容应是一个字典。")
    for key in ("id", "unit", "title", "agent"):
        text_field(raw, key, filename)
    unknown = sorted(set(map(str, raw)) - SCRIPT_KEYS)
    if unknown:
        raise ContentError(f"{filename}：有未知字段 {'、'.join(unknown)}。")
    start = raw.get("start", ReceptionScript.start)
    if isinstance(start, str):
        try:
            start = datetime.strptime(start, "%Y-%m-%d %H:%M:%S")
        except ValueError:
            raise ContentError(f"{filename}：start 应写成“2025-11-15 10:00:00”（加引号）。") from None
    if not isinstance(start, datetime):
        raise ContentError(f"{filename}：start 应是日期和时间，例如“2025-11-15 10:00:00”。")
    limit = _seconds(raw.get("time_limit", DEFAULT_LIMIT), filename, "time_limit", 60, 3600)
    card = raw.get("card", [])
    if not isinstance(card, list) or not all(isinstance(c, str) and c.strip() for c in card):
        raise ContentError(f"{filename}：card 应是文字列表（任务卡上店铺的真实情况，一条一项）。")
    facts = facts_from_data(raw.get("facts"), filename)
    intro = text_field(raw, "intro", filename, required=False)
    context = ("\n".join((intro, *card)), facts)
    buyers_raw = raw.get("buyers")
    if not isinstance(buyers_raw, list) or not 1 <= len(buyers_raw) <= MAX_BUYERS:
        raise ContentError(f"{filename}：buyers 应是1～{MAX_BUYERS}位顾客的列表。")
    buyers, seen = [], set()
    for n, b in enumerate(buyers_raw, 1):
        where = f"{filename} 第{n}位顾客"
        if not isinstance(b, dict):
            raise ContentError(f"{where}：应是一个字典。")
        key, cid = text_field(b, "key", where), text_field(b, "customer_id", where)
        if key in seen or cid in seen:
            raise ContentError(f"{where}：key 或 customer_id「{key}/{cid}」和前面的顾客重复了。")
        seen |= {key, cid}
        turns_raw = b.get("turns")
        if not isinstance(turns_raw, list) or not turns_raw:
            raise ContentError(f"{where}：turns 应是非空列表。")
        turns = tuple(_turn(t, f"{where}第{i}轮", i == 1, context) for i, t in enumerate(turns_raw, 1))
        arrival = _seconds(b.get("arrival", 0), where, "arrival", 0, limit - 30)
        buyers.append(Buyer(key, text_field(b, "nickname", where), cid, arrival, turns,
                            text_field(b, "success", where, required=False) or "下单成功"))
    quick, bot = raw.get("quick_reply", ReceptionScript.quick_reply), raw.get("bot_greeting", "")
    if not isinstance(quick, str) or not quick.strip() or not isinstance(bot, str):
        raise ContentError(f"{filename}：quick_reply（快捷短语）应是文字，bot_greeting（自动回复）应是文字。")
    return ReceptionScript(str(raw["id"]), str(raw["unit"]), str(raw["title"]), str(raw["agent"]), tuple(buyers),
                           intro, start, limit, bot, quick, tuple(card), facts)


def longest_best(script: ReceptionScript) -> tuple[int, int]:
    """(option turns whose best option is the longest — ties count —, all option turns)."""
    turns = [t for b in script.buyers for t in b.turns if t.options]
    longest = sum(1 for t in turns if len(t.best.text) >= max(len(o.text) for o in t.options if o is not t.best))
    return longest, len(turns)


def reception_ids() -> list[str]:
    """The ids of the scripts in ``data/scenarios/multi`` (``.yaml``, or ``.dat`` in the student edition)."""
    from ..settings import data_dir

    folder = data_dir() / FOLDER
    return sorted({p.stem for p in folder.glob("*.*") if p.suffix in (".yaml", ".dat")}) if folder.is_dir() else []


@lru_cache(maxsize=16)
def load_reception(script_id: str) -> ReceptionScript:
    """The script ``data/scenarios/multi/<script_id>.yaml``."""
    if not isinstance(script_id, str) or not script_id.replace("_", "").isalnum():
        raise ContentError(f"模拟脚本的名字应是字母、数字和下划线，例如“u06_reception”，现在是「{script_id}」。")
    filename = f"{FOLDER}/{script_id}.yaml"
    script = reception_from_data(read_content(filename), filename)
    if script.id != script_id:
        raise ContentError(f"{filename}：id「{script.id}」应与文件名一致。")
    return script
