"""Boilerplate lines and link prompts: one list (admission.yaml) for ingestion and key points."""

from __future__ import annotations

import pytest

from briefing.admit import is_boilerplate_line, not_a_point


@pytest.mark.parametrize("line", [
    "（记者 王小明）",
    "By Jane Roe and John Doe",
    "Reporting by Ana Silva; Editing by Tom Lee",
    "Photo: Container ships wait outside the port",
    "图为港口集装箱码头",
    "Radio Harbour speaks with Mia Tan, a former port pilot, about the new channel rules.",
])
def test_bylines_and_captions_are_boilerplate(line: str) -> None:
    assert is_boilerplate_line(line) and not_a_point(line)


@pytest.mark.parametrize("sentence", [
    "By the end of the year the port expects volumes to rise another 8%",
    "Photovoltaic exports rose 12% in January",
    "记者从国家统计局获悉，1月CPI同比上涨0.8%",
    "The port director spoke with union leaders on Tuesday and agreed a 3% raise",
])
def test_sentences_that_only_start_alike_are_kept(sentence: str) -> None:
    assert not is_boilerplate_line(sentence) and not not_a_point(sentence)


def test_a_link_prompt_inside_a_sentence_makes_it_no_point() -> None:
    assert not_a_point("油价还会涨吗？相关阅读：欧佩克减产")
    assert not is_boilerplate_line("油价还会涨吗？相关阅读：欧佩克减产")  # the body keeps it
