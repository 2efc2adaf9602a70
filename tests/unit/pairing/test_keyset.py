"""KeySet answers exactly what a binary search over the sorted keys answers."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pairing.keyset import KeySet


@settings(max_examples=60, deadline=None)
@given(
    st.sets(st.integers(0, 10**12), max_size=300),
    st.lists(st.integers(0, 10**12), max_size=200),
    st.integers(0, 2**32),
)
def test_find_agrees_with_a_set_and_the_sorted_positions(stored, extra, seed):
    keys = np.array(sorted(stored), dtype=np.int64)
    rng = np.random.default_rng(seed)
    present = rng.choice(keys, size=min(len(keys), 50)) if len(keys) else np.zeros(0, np.int64)
    queries = np.concatenate([present, np.array(extra, dtype=np.int64)])
    found, where = KeySet(keys).find(queries)
    assert found.tolist() == [q in stored for q in queries.tolist()]
    assert (keys[where[found]] == queries[found]).all()


def test_queries_keep_their_shape():
    keys = np.array([3, 17, 40], dtype=np.int64)
    grid = np.arange(48, dtype=np.int64).reshape(6, 8)
    found, where = KeySet(keys).find(grid)
    assert found.shape == where.shape == (6, 8)
    assert sorted(grid[found].tolist()) == [3, 17, 40]
    assert KeySet(np.zeros(0, np.int64)).find(grid)[0].sum() == 0
