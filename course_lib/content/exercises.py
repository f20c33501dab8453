"""``check(exercise_id, answer)``: the graded-exercise check called in notebooks.

Student mode (the default) checks only the *form* of the answer and records it;
it never raises and never reveals the key.  Grade mode (``COURSE_MODE=grade``,
set by the grader) compares with the key and raises :class:`ExerciseFailed`
with a Chinese message, so ``pytest --nbval-lax`` lists the wrong exercises.

>>> evaluate("u00.e2", ..., grade=False).title
'尚未作答'
>>> evaluate("u00.e2", "四十八", grade=False).status
'invalid'
>>> evaluate("u00.e2", 48, grade=True).status
'correct'
"""
from __future__ import annotations

import os

from .answer_runs import answer_cell_failed
from .banks import load_exercises
from .loading import ContentError
from .questions import Question
from .results import STATUS_NAMES, CheckResult

GRADE_ENV = "COURSE_MODE"
NOT_CHECKED = ("？ 这里没有检查：有没有回答顾客的问题、本题的必答要点、说的价格时间赠品保障是否与店铺情况相符。"
               "这些由老师的评分程序检查，上面几项都通过也不代表本题能得分。")


class ExerciseFailed(AssertionError):
    """Raised in grade mode when an exercise is not fully correct."""


def grade_mode() -> bool:
    return os.environ.get(GRADE_ENV, "").strip().lower() == "grade"


def find_exercise(exercise_id: object) -> Question:
    if not isinstance(exercise_id, str) or "." not in exercise_id:
        raise ContentError(f"练习编号「{exercise_id!s:.30}」格式不对，应类似“u01.e1”。请不要改动检查单元格。")
    exercise = load_exercises(exercise_id.split(".")[0]).get(exercise_id)
    if exercise is None:
        raise ContentError(f"找不到练习 {exercise_id}。请不要改动检查单元格。")
    return exercise


def evaluate(exercise_id: object, answer: object, *, grade: bool) -> CheckResult:
    """The result of checking ``answer``; never raises."""
    try:
        q = find_exercise(exercise_id)
    except ContentError as error:
        return CheckResult(str(exercise_id)[:30], "error", STATUS_NAMES["error"], str(error))
    outcome = q.grade(answer) if grade else None
    if not grade:
        try:
            value = q.parse(answer)
        except Exception as error:  # AnswerFormatError / Unanswered: both carry the message
            status = "unanswered" if str(error).startswith("尚未作答") else "invalid"
            tip = "把...换成你的答案，再运行本单元格。" if status == "unanswered" else str(error)
            return CheckResult(q.id, status, STATUS_NAMES[status], tip, points=q.points)
        details: tuple[str, ...] = ()
        message = f"你的答案是「{q.show(value)}」，格式正确。课后练习由老师统一评分。"
        if q.type == "numeric" and q.unit == "%" and 0 < abs(value) < 1:      # a share written as a fraction: the commonest slip
            message += f"注意：本题的答案以%为单位，如果{q.show(value)}是小数形式的比例，请乘以100再填。"
        if q.free_text and q.reply is not None:
            own = q.reply.general_only().score(value)
            details = tuple(f"{'✔' if i.passed else '✘'} {i.name}：{i.message}" for i in own.items)
            details += (NOT_CHECKED,)
            failed = sum(not i.passed for i in own.items)
            message = (f"你的答案是「{q.show(value)}」，格式正确。下面是不计分的自查，只查了通用规则；"
                       "课后练习由老师统一评分。") if not failed else (
                       f"你的答案是「{q.show(value)}」，已记录，但下面不计分的自查有{failed}项没做到（✘），"
                       "建议改好后再运行一次；课后练习由老师统一评分。")
        return CheckResult(q.id, "recorded", STATUS_NAMES["recorded"], message, details, q.points)
    assert outcome is not None
    score = round(q.points * outcome.fraction, 2) if outcome.answered else 0.0
    details = tuple(outcome.feedback) if q.free_text else ()
    if outcome.status in ("unanswered", "invalid"):
        message = outcome.message
    elif outcome.rubric is not None and outcome.rubric.failed_items:
        missing = "、".join(i.name for i in outcome.rubric.failed_items)
        message = f"{outcome.message}未做到：{missing}。" + (f" 提示：{q.hint}" if outcome.status != "correct" and q.hint else "")
    else:
        message = outcome.message + (f" 提示：{q.hint}" if outcome.status != "correct" and q.hint else "")
    return CheckResult(q.id, outcome.status, STATUS_NAMES[outcome.status], message, details, q.points, score)


def to_json(value: object) -> object:
    """A canonical answer as JSON data (tuples become lists)."""
    if isinstance(value, tuple):
        return list(value)
    return value


def collect(exercise_id: object, answer: object, path: str) -> CheckResult:
    """Collect mode (the grader): parse the answer's form and append it as a JSON line to
    ``path`` — a file, or ``fd:N``, a descriptor the grading sandbox reads.

    The grader compares it with the key in its own process; nothing here knows the key.
    """
    import json

    result = evaluate(exercise_id, answer, grade=False)
    record = {"id": str(exercise_id)[:30], "status": result.status, "message": result.message[:300]}
    if result.status == "recorded":
        record["answer"] = to_json(find_exercise(exercise_id).parse(answer))
    line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
    try:
        if path.startswith("fd:"):
            os.write(int(path[3:]), line)
        else:
            with open(path, "ab") as f:
                f.write(line)
    except (OSError, ValueError):
        pass
    return result


def check(exercise_id: str, answer: object) -> CheckResult:
    """Check a graded exercise (see the module docstring)."""
    __tracebackhide__ = True  # IPython and pytest hide this frame in tracebacks
    mode = os.environ.get(GRADE_ENV, "").strip().lower()
    if mode == "collect" and os.environ.get("COURSE_ANSWERS"):
        return collect(exercise_id, answer, os.environ["COURSE_ANSWERS"])
    if not grade_mode():
        if answer_cell_failed(exercise_id):
            return CheckResult(exercise_id, "error", STATUS_NAMES["error"],
                               "上面的答案单元格刚才运行出错了（看它下面的提示），这里拿到的还是之前的答案。"
                               "请先改好答案单元格、运行成功，再运行本单元格。")
        return evaluate(exercise_id, answer, grade=False)
    result = evaluate(exercise_id, answer, grade=True)
    if result.status != "correct":
        raise ExerciseFailed(f"练习 {result.exercise_id} 未通过（{result.title}）：{result.message}"
                             + (f"（得分{result.score:g}/{result.points:g}）" if result.score is not None else ""))
    return result
