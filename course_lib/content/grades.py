"""The data a question is made of and the outcome of grading one answer."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .rubric import RubricResult


@dataclass(frozen=True)
class Option:
    """One option of a choice question, one item to order, or one side of a matching pair."""

    key: str
    text: str = ""
    feedback: str = ""


@dataclass(frozen=True)
class Grade:
    """The outcome of grading one answer.

    ``status`` is ``correct``, ``partial``, ``wrong``, ``invalid`` (bad form),
    ``unanswered`` or ``recorded`` (well-formed, no key to compare with); ``fraction`` is
    the share of the points earned (0–1); ``canonical`` the parsed answer.
    """

    status: str
    fraction: float
    message: str
    feedback: tuple[str, ...] = ()
    canonical: Any = None
    rubric: RubricResult | None = None

    @property
    def answered(self) -> bool:
        return self.status not in ("invalid", "unanswered")
