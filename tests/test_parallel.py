"""Identical answers from 8 threads at once and from process pools under fork and spawn.

durable_rules keeps global C state and is not thread-safe; the wrapper serialises each ruleset and
renews its locks after fork. These tests draw cases for every jurisdiction and question, answer them
once in order, then again concurrently, and require the same JSON.
"""

from __future__ import annotations

import multiprocessing as mp
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from parallel_worker import Case, answer, answers
from strategies import decision_cases

import villagepolicy as vp

BATCH = st.lists(decision_cases(), min_size=40, max_size=80)


@settings(max_examples=10)
@given(batch=BATCH)
def test_same_answers_from_8_threads(batch: list[Case]) -> None:
    expected = answers(batch)
    work = batch * 10
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(answer, work))
    assert got == expected * 10


def test_threads_share_one_library_safely_from_a_cold_start() -> None:
    # The first decision of a (pack, question) compiles its ruleset: 8 threads race to do it.
    lib = vp.load()
    facts = [("shiquan", r, d) for r in vp.ROLES for d in (1, 5, 6, 10, 11, 30, 31)]

    def one(case: tuple[str, str, int]) -> dict:
        j, role, days = case
        return lib.decide(j, "leave_approval", {"role": role, "days": days}, on="2022-03-01").to_dict()

    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(one, facts * 8))
    assert got == [one(c) for c in facts] * 8


@pytest.mark.parametrize("method", ["fork", "spawn"])
@settings(max_examples=3)
@given(batch=BATCH)
def test_same_answers_from_a_process_pool(method: str, batch: list[Case]) -> None:
    if method not in mp.get_all_start_methods():
        pytest.skip(f"{method} is not available on {sys.platform}")
    expected = answers(batch)
    chunks = [batch[i::4] for i in range(4)]
    with mp.get_context(method).Pool(4) as pool:
        got_chunks = pool.map(answers, chunks)
    got = [None] * len(batch)
    for i, chunk in enumerate(got_chunks):
        got[i::4] = chunk
    assert got == expected
