"""The labelled reply set (tests/replies/*.yaml): the scorer agrees with a teacher's judgement.

Each file holds replies to one graded free-text exercise or free-text role-play turn,
labelled by a teacher ``accept`` (deserves at least the pass mark: the exercise's
``pass_score``, or a role-play turn's ``low.below``) or ``reject``, with a category.
Run ``python tests/test_reply_set.py`` to print the confusion table.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import yaml

from course_lib.content.banks import load_exercises
from course_lib.content.rubric_rules import default_rubric
from course_lib.content.scenarios import load_scenario
from course_lib.settings import data_dir

SET = Path(__file__).resolve().parent / "replies"
CATEGORIES = ("good", "good-but-short", "paraphrase", "off-topic", "no-answer", "pushy", "threat", "invented-fact",
              "absolute-words", "off-platform", "rude", "negated", "evasive", "copy", "degenerate", "privacy", "wrong-fact")
REJECT_CEILING = 75          # no reply a teacher rejects may earn this share of the points


def target(item: str):
    """(the item's reply spec, its pass mark) for "u01.e5" or "u10_reminder.t5"."""
    head, _, tail = item.rpartition(".")
    if tail.startswith("e") and tail[1:].isdigit():
        q = load_exercises(head).get(item)
        return q.reply, q.pass_score
    turn = load_scenario(head).turns[tail]
    return turn.reply, turn.low_below or 60


@lru_cache(maxsize=1)
def judged() -> tuple[tuple[str, str, str, str, int], ...]:
    """(item, text, label, category, score) for every labelled reply."""
    rows = []
    for path in sorted(SET.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        spec, _ = target(data["item"])
        rows += [(data["item"], r["text"], r["label"], r["category"], spec.score(r["text"]).score) for r in data["replies"]]
    return tuple(rows)


def verdict(item: str, score: int) -> str:
    return "accept" if score >= target(item)[1] else "reject"


def confusion_table() -> str:
    counts = Counter((label, category, verdict(item, score)) for item, _, label, category, score in judged())
    lines = ["| 标注 | 类别 | 判为accept | 判为reject |", "|---|---|---|---|"]
    for label in ("accept", "reject"):
        for category in CATEGORIES:
            a, r = counts[(label, category, "accept")], counts[(label, category, "reject")]
            if a or r:
                lines.append(f"| {label} | {category} | {a} | {r} |")
    agree = sum(verdict(item, score) == label for item, _, label, _, score in judged())
    lines.append(f"\n一致：{agree}/{len(judged())}（{100 * agree / len(judged()):.1f}%）")
    return "\n".join(lines)


def test_the_set_is_large_and_covers_every_free_text_item():
    rows = judged()
    assert len(rows) >= 200
    items = {item for item, *_ in rows}
    free_exercises = {q.id for p in (data_dir() / "exercises").glob("*.yaml") for q in load_exercises(p.stem).questions
                      if q.free_text and q.points}
    free_turns = {f"{p.stem}.{t.id}" for p in (data_dir() / "scenarios").glob("*.yaml")
                  for t in load_scenario(p.stem).turns.values() if t.is_reply}
    assert items == free_exercises | free_turns
    assert {category for *_, category, _ in rows} == set(CATEGORIES)
    assert {label for _, _, label, _, _ in rows} == {"accept", "reject"}
    for item in items:                      # every item has both kinds, and the accepted replies are varied
        labels = Counter(label for i, _, label, _, _ in rows if i == item)
        assert labels["accept"] >= 8 and labels["reject"] >= 20, item


def test_the_scorer_agrees_with_the_teacher():
    rows = judged()
    disagreements = [(item, text, label, score) for item, text, label, _, score in rows if verdict(item, score) != label]
    agreement = 1 - len(disagreements) / len(rows)
    assert agreement >= 0.95, f"{agreement:.1%}\n{confusion_table()}\n" + "\n".join(map(str, disagreements))


def test_no_rejected_reply_earns_three_quarters_of_the_points():
    high = [(item, text, score) for item, text, label, _, score in judged() if label == "reject" and score >= REJECT_CEILING]
    assert high == []


def test_no_sentence_of_an_accepted_reply_breaks_a_hard_rule_on_its_own():
    """Each sentence of a reply the teacher accepts, said alone, is still no banned word, pressure,
    threat or invented fact: those rules must not fire on an honest sentence, whatever surrounds it."""
    hard = {r.id for r in default_rubric().rules if r.kind in ("contains_none", "patterns_none")} | {"facts"}
    broken = []
    for item, text, label, _, _ in judged():
        if label == "accept":
            spec, _ = target(item)
            for sentence in filter(str.strip, re.split(r"(?<=[。！？!?])", text)):
                broken += [(item, sentence, o.name, o.found) for o in spec.score(sentence).items
                           if o.id in hard and not o.passed]
    assert broken == []


def test_every_reply_has_a_known_label_and_category():
    for path in sorted(SET.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert path.stem == data["item"]
        for r in data["replies"]:
            assert set(r) == {"text", "label", "category"} and r["label"] in ("accept", "reject")
            assert r["category"] in CATEGORIES, r
            assert (r["label"] == "accept") == (r["category"] in ("good", "good-but-short", "paraphrase")), r


if __name__ == "__main__":
    print(confusion_table())
