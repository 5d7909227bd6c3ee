"""The kept draws of a Monte Carlo run, stored apart from the baseline (fiscal_sim.accumulator).

The reference is what the accumulator did before (612e3ff): every kept draw in one array,
``np.quantile`` over it. Stored apart from the baseline, the draws must come back bit for bit
in draw order, and the quantiles be the same numbers, whatever the draws and the chunks.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fiscal_sim.accumulator import KeptSample

# Numbers that exercise ties with the baseline: the baseline itself, both zeros, repeats.
NUMBERS = st.sampled_from([0.0, -0.0, 1.0, -2.5, 1e-300, 7.0, np.nextafter(7.0, 8.0)]) | st.floats(
    -1e6, 1e6, allow_nan=False
)


@st.composite
def draws_in_chunks(draw):
    rows, years = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    base = np.array(draw(st.lists(NUMBERS, min_size=rows * years, max_size=rows * years)))
    base = base.reshape(rows, years)
    chunks = []
    for _ in range(draw(st.integers(1, 4))):
        n = draw(st.integers(1, 9))
        picks = draw(st.lists(st.booleans(), min_size=n * base.size, max_size=n * base.size))
        other = draw(st.lists(NUMBERS, min_size=n * base.size, max_size=n * base.size))
        chunk = np.where(
            np.reshape(picks, (n, rows, years)), base, np.reshape(other, (n, rows, years))
        )
        chunks.append(chunk)
    return base, chunks


@settings(max_examples=300, deadline=None)
@given(draws_in_chunks(), st.lists(st.floats(0.0, 1.0), min_size=1, max_size=4))
def test_the_kept_draws_come_back_bit_for_bit_with_the_same_quantiles(case, levels):
    base, chunks = case
    sample = KeptSample(base, sum(len(chunk) for chunk in chunks))
    for chunk in chunks:
        sample.add(chunk)
    every = np.concatenate(chunks)
    rows = every.reshape(len(every), -1).T
    for index, row in enumerate(rows):
        assert sample.row(index).tobytes() == row.tobytes()
    reference = np.quantile(np.ascontiguousarray(every.transpose(1, 2, 0)), levels, axis=-1)
    assert sample.quantiles(levels).tobytes() == reference.tobytes()


def test_a_draw_equal_to_the_baseline_is_not_stored():
    base = np.array([[10.0, 0.0], [3.0, 4.0]])
    sample = KeptSample(base, capacity=3)
    # Draw 1 is the baseline; draw 2 differs in one row, draw 3 in two (-0.0 is not 0.0).
    sample.add(np.array([base, [[10.0, 0.0], [3.5, 4.0]], [[11.0, -0.0], [3.0, 4.0]]]))
    assert sample.size == 3 and sample.stored == 3
    assert sample.row(1).tobytes() == np.array([0.0, 0.0, -0.0]).tobytes()
    np.testing.assert_array_equal(sample.row(2), [3.0, 3.5, 3.0])
    with pytest.raises(ValueError, match="4 draws kept, room for 3"):
        sample.add(base[None])


def test_the_accumulator_blocks_are_the_draw_blocks():
    from fiscal_sim import accumulator, stochastic

    assert accumulator.BLOCK_DRAWS == stochastic.BLOCK_DRAWS


@pytest.mark.parametrize("workers", [1, 3])
def test_the_quantiles_do_not_depend_on_the_threads_that_take_them(monkeypatch, workers):
    from fiscal_sim import accumulator

    rng = np.random.default_rng(4)
    base = np.array([[1.0, -0.0, 0.0], [2.0, 3.0, 4.0]])
    chunk = np.broadcast_to(base, (500, 2, 3)).copy()
    chunk[:, 1] += rng.standard_normal((500, 3))  # the first row stays the baseline's
    levels = (0.05, 0.5, 0.95)
    reference = np.quantile(chunk, levels, axis=0)
    monkeypatch.setattr(accumulator, "QUANTILE_WORKERS", workers)
    sample = KeptSample(base, capacity=500)
    sample.add(chunk)
    assert sample.quantiles(levels, release=True).tobytes() == reference.tobytes()
