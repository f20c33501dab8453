"""Copy hints in the class statistics (issue 10, item 6): planted near-copies are reported, honest
classmates who share greetings, the shop name, stock phrases, the task's facts and pieces of the
reference reply are not."""
from __future__ import annotations

import itertools
import random
import time
from dataclasses import replace as dataclass_replace
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.content.banks import load_exercises
from course_lib.content.rubric_rules import default_rubric
from course_lib.grading.copying import MIN_OWN_CHARS, TEXT_SIMILAR, find_copies, pair_count, prepare, set_pairs, similarity, text_pairs
from course_lib.grading.reports import copy_items
from course_lib.grading.results import ExerciseResult, SubmissionResult
from course_lib.grading.statistics import report_text

E5 = next(q for q in load_exercises("u01").questions if q.id == "u01.e5")
REMOVALS = {"u01.e5": [E5.reply.task, E5.reply.buyer, E5.reference]}
STOCK = default_rubric().stock_phrases

# good, distinct replies to 「在吗？你们家的蓝牙耳机是正品吗？」 written independently; they share the greetings,
# 数码小铺/小雅, stock phrases, the task's facts and pieces of the reference reply
HONEST = {
    "20230101 张三": "您好，欢迎光临数码小铺，我是客服小雅～我们家的耳机都是品牌官方授权渠道进的货，保证是正品行货，每副都有独立序列号，"
                   "您拿到后可以上品牌官网查询真伪。请问您想要入耳式的还是头戴式的呢？",
    "20230102 李四": "亲，在的！我是数码小铺的小雅。这款蓝牙耳机是正品行货哦，全部来自品牌授权渠道，支持全国联保，"
                   "收到后还能用序列号在官网验证。"
                   "您平时是运动时戴还是上班路上听歌呀？我给您挑一款合适的。",
    "20230103 王五": "您好亲，数码小铺客服小雅为您服务。请放心，店里的耳机全是正品，官方授权渠道进货，享受全国联保，"
                   "而且支持七天无理由退货（包装完好就行）。您预算大概多少？我帮您推荐几款性价比高的。",
    "20230104 赵六": "欢迎光临数码小铺！我是小雅，很高兴为您服务～您问得好，我们的蓝牙耳机都是原装正品，每副耳机盒子上都有序列号，"
                   "在品牌官网输入就能查到。如果收到不满意，包装完好的话七天内可以无理由退。请问您主要用来打游戏还是听音乐？",
    "20230105 孙七": "您好，这里是数码小铺，我是客服小雅。咱家耳机是品牌官方授权的正品行货，不是高仿也不是山寨，"
                   "每一副都能凭序列号在官网核对，售后也是全国联保的。您对音质和续航有什么要求吗？我可以给您介绍一下。",
    "20230106 周八": "在的在的，欢迎来到数码小铺～我是小雅。关于正品的问题您尽管放心：耳机全部从品牌授权渠道进货，正品行货，"
                   "每副都有独立的序列号，收货后在品牌官网一查便知，还有全国联保。请问您想看哪一款？降噪的还是轻便的？",
    "20230107 吴九": "您好！欢迎光临数码小铺，我是客服小雅。我们卖的蓝牙耳机都是正品，是从品牌官方授权渠道拿的货，"
                   "您收到以后可以在官网用序列号查询，"
                   "全国都能保修。您是送人还是自己用呀？告诉我您的需要，我帮您选。",
    "20230108 郑十": "亲亲您好，我是数码小铺的客服小雅，很高兴为您服务！这边的耳机都是官方授权的正品行货，有独立序列号可以在品牌官网验证，"
                   "还支持七天无理由退货。请问您平时通勤多还是运动多？我帮您推荐适合的款式。",
}
# both copied the reference reply (and changed a little of it): they copied the reference, not each other
FROM_REFERENCE = {
    "20230109 钱一": "您好，我是数码小铺的小雅～我们家的蓝牙耳机都是从品牌官方授权渠道进货的正品行货，每副耳机都有独立的序列号，"
                   "收到后可以在品牌官网查询验证，还享受全国联保。请问您平时主要是通勤听歌还是运动时用呢？我帮您推荐合适的款式。",
    "20230110 冯二": "您好，欢迎光临数码小铺，我是客服小雅～我们家的蓝牙耳机都是从品牌官方授权渠道进货的正品行货，"
                   "每副耳机都有独立的序列号，"
                   "收到后可以在品牌官网查询验证，还享受全国联保。请问您平时用来干什么呢？我帮您推荐合适的款式。",
}
# planted near-copies of a classmate's reply
COPIES = {
    # a few words changed (店里→咱们, 全是→都是, 而且→并且, 就行→即可)
    "20230111 陈一": "您好亲，数码小铺客服小雅为您服务。请放心，咱们的耳机都是正品，官方授权渠道进的货，享受全国联保，"
                   "并且支持七天无理由退货（包装完好即可）。您预算大概是多少？我帮您推荐几款性价比高的。",
    # clauses reordered
    "20230112 褚二": "欢迎光临数码小铺！我是小雅～我们的蓝牙耳机都是原装正品，如果收到不满意，包装完好的话七天内可以无理由退。"
                   "每副耳机盒子上都有序列号，在品牌官网输入就能查到。请问您主要用来打游戏还是听音乐？很高兴为您服务",
    # 亲, 哦, 哈 and ～ added
    "20230113 卫三": "亲～您好，这里是数码小铺哦，我是客服小雅～咱家耳机是品牌官方授权的正品行货，不是高仿也不是山寨哈～"
                   "每一副都能凭序列号在官网核对，售后也是全国联保的呢。亲对音质和续航有什么要求吗？我可以给您介绍一下～",
}
PLANTED = {("20230103 王五", "20230111 陈一"), ("20230104 赵六", "20230112 褚二"), ("20230105 孙七", "20230113 卫三")}


def pairs_of(replies, removals=REMOVALS):
    return {(p.a, p.b) for p in text_pairs({"u01.e5": replies}, removals, STOCK)}


def test_planted_copies_are_reported_and_honest_classmates_are_not():
    found = text_pairs({"u01.e5": {**HONEST, **FROM_REFERENCE, **COPIES}}, REMOVALS, STOCK)
    assert {(p.a, p.b) for p in found} == PLANTED
    assert all(p.exercise == "u01.e5" and TEXT_SIMILAR <= p.similarity <= 1 for p in found)
    assert [p.similarity for p in found] == sorted((p.similarity for p in found), reverse=True)
    copied = next(p for p in found if p.b == "20230113 卫三")
    assert (copied.text_a, copied.text_b) == (HONEST["20230105 孙七"], COPIES["20230113 卫三"])


def test_honest_replies_stay_far_below_the_threshold():
    ready = {s: prepare(t, REMOVALS["u01.e5"], STOCK) for s, t in HONEST.items()}
    assert all(r.length >= MIN_OWN_CHARS for r in ready.values())     # they are compared, not skipped
    worst = max(similarity(ready[a], ready[b]) for a, b in itertools.combinations(ready, 2))
    assert worst < TEXT_SIMILAR / 2


def test_removing_the_shared_text_is_what_keeps_honest_replies_apart():
    """Without removing task, buyer and reference, the reference copiers and honest replies look alike."""
    assert pairs_of({**HONEST, **FROM_REFERENCE}) == set()
    assert ("20230109 钱一", "20230110 冯二") in pairs_of(FROM_REFERENCE, removals={})


def test_no_two_honest_replies_of_the_labelled_set_are_paired():
    """tests/replies: replies a teacher wrote and judged; good ones and paraphrases of the reference
    (several per exercise, on the same facts) stand for honest classmates."""
    compared = 0
    for path in sorted((Path(__file__).parent / "replies").glob("u*.e*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        item = data["item"]
        q = next(q for q in load_exercises(item.split(".")[0]).questions if q.id == item)
        honest = {str(i): r["text"] for i, r in enumerate(data["replies"])
                  if r["category"] in ("good", "good-but-short", "paraphrase")}
        ready = [prepare(t, [q.reply.task, q.reply.buyer, q.reference], STOCK) for t in honest.values()]
        compared += sum(a.length >= MIN_OWN_CHARS and b.length >= MIN_OWN_CHARS
                        for a, b in itertools.combinations(ready, 2))
        assert text_pairs({item: honest}, {item: [q.reply.task, q.reply.buyer, q.reference]}, STOCK) == [], item
    assert compared > 300


def test_copying_the_reference_leaves_no_own_text():
    """Decided: two students who both copied the reference copied it, not each other — never paired."""
    for text in (*FROM_REFERENCE.values(), E5.reference):
        assert prepare(text, REMOVALS["u01.e5"], STOCK).length < MIN_OWN_CHARS
    assert pairs_of({"a": E5.reference, "b": E5.reference}) == set()


def test_a_repeated_word_is_no_own_text():
    assert prepare("抱歉抱歉抱歉抱歉抱歉抱歉抱歉抱歉抱歉抱歉", REMOVALS["u01.e5"], STOCK).length == 0
    # without the rule: a's 20 characters all in 抱歉抱歉, b's own 16 (了 is a stock phrase) → (20 + 4) / 36
    assert pairs_of({"a": "抱歉抱歉抱歉抱歉抱歉抱歉抱歉抱歉抱歉抱歉", "b": "抱歉抱歉，能不能发得看情况，您拍了再说"}) == set()


def test_similarity_by_hand():
    task = "买家问：你们家的蓝牙耳机是正品吗？数码小铺的耳机有独立的序列号，可以在品牌官网查询；享受全国联保。"
    stock = ["亲", "您好", "的", "哦", "哈"]
    a = prepare("亲，您好～我们店的耳机有独立的序列号，可以在品牌官网查询，您买回去先对着盒子上的防伪码查一下，"
                "不满意随时找我哈", [task], stock)
    b = prepare("您好！我们店的耳机都是正品，您买回去先对着盒子上防伪码查一下哦，不满意就随时找我", [task], stock)
    # a: 我们店|耳机有独立序列号可以在品牌官网查询 (from the task)|您买回去先对着盒子上防伪码查一下(16)不满意随时找我(7)
    # → own 3 + 16 + 7 = 26, all in stretches of ≥ 4 found in b (我们店耳, …查一下, 下不满意, 随时找我)
    # b: nothing from the task → own 33; not in a: 都是正品 and 就 → 28 covered.  (26 + 28) / (26 + 33)
    assert a.own_text() == "我们店 您买回去先对着盒子上防伪码查一下不满意随时找我"
    assert (a.length, b.length) == (26, 33)
    assert similarity(a, b) == pytest.approx(54 / 59)


def test_short_own_texts_are_not_compared():
    short = {"a": "您好，是正品哦，放心拍吧，有需要随时找我", "b": "您好，是正品哦，放心拍吧，有需要随时找我"}
    assert prepare(short["a"], REMOVALS["u01.e5"], STOCK).length < MIN_OWN_CHARS
    assert pairs_of(short) == set()


TEXT = st.text(st.sampled_from("您好亲的呢～，。|\n ab12正品耳机数码小铺序列号官网联保七天无理由退货我帮推荐款式🙂"), max_size=80)


@given(TEXT, TEXT)
def test_similarity_properties(x, y):
    a, b = prepare(x, REMOVALS["u01.e5"], STOCK), prepare(y, REMOVALS["u01.e5"], STOCK)
    assert 0 <= similarity(a, b) <= 1
    assert similarity(a, b) == similarity(b, a)
    if a.length >= MIN_OWN_CHARS:
        assert similarity(a, a) == 1
    for found in text_pairs({"e": {"1": x, "2": y}}, REMOVALS, STOCK):
        assert found.similarity >= TEXT_SIMILAR


@given(st.text(max_size=60), st.text(max_size=60))
def test_any_text_is_fine(x, y):
    assert 0 <= similarity(prepare(x, [y], [y]), prepare(y, [x], STOCK)) <= 1


# ----------------------------------------------------------------------------- from graded results

def result(label, choices, reply=""):
    """A graded u01 result; ``choices``: (status, answer) of u01.e1–e4, e.g. ("wrong", "A、B")."""
    sid, name = label.split()
    exercises = [ExerciseResult(f"u01.e{i}", kind, 2, 2 if status == "correct" else 0, status, answer)
                 for i, (kind, (status, answer)) in enumerate(zip(["multiple", "ordering", "matching", "numeric"],
                                                                    choices), 1)]
    exercises.append(ExerciseResult("u01.e5", "text", 4, 3, "correct" if reply else "unanswered", reply))
    return SubmissionResult(f"{sid}.ipynb", "", student_id=sid, name=name, unit="u01").with_exercises(exercises, 12)


RIGHT = [("correct", "A、C、E"), ("correct", "B、D、C、A"), ("correct", "1C 2E 3D 4A 5B"), ("correct", "13206.2")]


def test_identical_rare_wrong_answers_are_reported_in_the_answer_set():
    wrong_twice = [("wrong", "A、B"), ("partial", "B、C、D、A"), *RIGHT[2:]]
    labels = [f"202302{i:02d} 学生{i}" for i in range(12)]      # rare: given by at most 12 × 25% = 3
    results = [result(labels[0], wrong_twice), result(labels[1], wrong_twice),
               result(labels[2], [wrong_twice[0], *RIGHT[1:]]),       # shares one wrong answer only
               *(result(label, RIGHT) for label in labels[3:])]       # identical correct answers: no evidence
    texts, sets = find_copies(results, "u01")
    assert texts == []
    assert [(p.a, p.b, p.same_wrong, p.similar_texts, p.compared) for p in sets] == [
        (labels[0], labels[1], ("u01.e1", "u01.e2"), (), 4)]
    # the same two wrong answers given by 4 of 12 students (more than a quarter): a common mistake
    common = [result(label, wrong_twice) for label in labels[:4]] + [result(label, RIGHT) for label in labels[4:]]
    assert find_copies(common, "u01")[1] == []


def test_answer_set_counts_similar_replies_with_a_wrong_answer():
    wrong = {"u01.e1": {"a": "A、B", "b": "A、B", "c": "C"}}
    answered = {s: {"u01.e1", "u01.e5"} for s in "abcdefgh"}
    texts = text_pairs({"u01.e5": {"a": COPIES["20230113 卫三"], "b": HONEST["20230105 孙七"]}}, REMOVALS, STOCK)
    [found] = set_pairs(wrong, answered, texts)
    assert (found.a, found.b, found.items, found.compared) == ("a", "b", 2, 2)
    assert set_pairs(wrong, answered, []) == []


def test_report_section_shows_both_texts():
    replies = {**HONEST, **FROM_REFERENCE, **COPIES, "20230114 蒋四": "亲，在的，是正品|请放心\n有序列号"}
    replies["20230111 陈一"] = replies["20230111 陈一"].replace("请放心，", "请放心|\n\x1b")
    results = [result(label, RIGHT, text) for label, text in replies.items()]
    text = report_text(results, "u01")
    section = text.split("## 疑似雷同")[1]
    assert "只是提示老师核对，不是结论" in section and "未发现" not in section
    assert section.count("### u01.e5：") == 3
    head = next(line for line in section.splitlines() if "20230111 陈一" in line and line.startswith("###"))
    assert head.startswith("### u01.e5：20230103 王五 与 20230111 陈一（相似度") and head.endswith("%）")
    shown = COPIES["20230111 陈一"].replace("请放心，", "请放心\\| ")       # | escaped, newline a space, no ESC
    assert f"| {HONEST['20230103 王五']} | {shown} |" in section
    assert "蒋四" not in section and "钱一" not in section
    assert copy_items({"u01": find_copies(results, "u01")}) == ["单元u01疑似雷同：3对，见统计/统计_u01.md"]


def test_report_without_copies_says_so():
    results = [result(label, RIGHT, text) for label, text in {**HONEST, **FROM_REFERENCE}.items()]
    assert "## 疑似雷同" in report_text(results, "u01")
    assert "未发现疑似雷同的作答。" in report_text(results, "u01")
    found = find_copies(results, "u01")
    assert pair_count(found) == 0 and copy_items({"u01": found}) == []


def test_sixty_students_five_exercises_are_fast():
    rng = random.Random(1)
    clauses = [c for t in HONEST.values() for c in t.replace("？", "。").split("。") if c]
    texts = {f"u01.e{e}": {f"s{i:02d}": "。".join(rng.sample(clauses, 4)) for i in range(60)} for e in range(1, 6)}
    start = time.perf_counter()
    text_pairs(texts, dict.fromkeys(texts, REMOVALS["u01.e5"]), STOCK)
    assert time.perf_counter() - start < 5


def test_a_unit_without_a_bank_is_still_compared():
    """No exercise bank (a unit renamed since grading): nothing to remove but the stock phrases."""
    results = [dataclass_replace(result(label, RIGHT, text), unit="u99")
               for label, text in [("20230105 孙七", HONEST["20230105 孙七"]), ("20230113 卫三", COPIES["20230113 卫三"]),
                                   ("20230101 张三", HONEST["20230101 张三"])]]
    texts, sets = find_copies(results, "u99")
    assert [(p.a, p.b) for p in texts] == [("20230105 孙七", "20230113 卫三")] and sets == []


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A、B", "C", "13206", ""]), TEXT), min_size=2, max_size=5))
def test_any_answers_make_a_report(answers):
    results = [result(f"2023030{i} 学生{i}", [("wrong" if choice else "unanswered", choice), *RIGHT[1:]], reply)
               for i, (choice, reply) in enumerate(answers)]
    section = report_text(results, "u01").split("## 疑似雷同")[1]
    assert ("未发现疑似雷同的作答。" in section) == (pair_count(find_copies(results, "u01")) == 0)
