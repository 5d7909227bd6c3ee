"""The text grid lays a table out as pandas' ``to_string`` did for the command line's tables:
by hand on a waterfall and a measures table, and against pandas itself on random tables
(row levels of text or whole numbers, Chinese or not, names or none, text and number
columns, labels shown or hidden, Chinese counted wide or narrow)."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from fiscal_sim.textgrid import Grid, display_width, grid_text


def test_a_waterfall_blanks_the_levels_that_repeat_the_row_above():
    grid = Grid(
        rows=((1, "保工资", "需求"), (1, "保工资", "缺口"), (2, "保运转", "需求")),
        columns=(2019, 2020),
        cells=(("61,547", "63,894"), ("0", "0"), ("6,089", "6,180")),
        row_names=("序号", "层级", ""),
        column_name="年度",
    )
    assert grid_text(grid, wide=True).splitlines() == [
        "年度                2019    2020",
        "序号 层级                       ",
        "1    保工资 需求  61,547  63,894",
        "            缺口       0       0",
        "2    保运转 需求   6,089   6,180",
    ]


def test_chinese_counts_two_columns_under_zh_and_one_under_en():
    grid = Grid(
        rows=(("三保缺口",), ("debt",)),
        columns=("2020",),
        cells=(("0",), ("85.0%",)),
        row_names=("indicator",),
    )
    assert grid_text(grid, wide=True).splitlines() == [
        "            2020",
        "indicator       ",
        "三保缺口       0",
        "debt       85.0%",
    ]
    # Under en a Chinese character counts one column, as pandas counted it there.
    assert grid_text(grid, wide=False).splitlines()[2] == "三保缺口" + " " * 6 + "     0"


def test_text_columns_read_left_and_hidden_labels_leave_no_index_and_one_space():
    grid = Grid(
        rows=((0,), (1,)),
        columns=("rule", "year"),
        cells=(("现金", "2020"), ("advance_cap", "2019")),
        attrs={"hide_index": True, "text_columns": [0]},
    )
    assert grid_text(grid, wide=True).splitlines() == [
        "       rule year",
        "现金        2020",
        "advance_cap 2019",
    ]


# --- against pandas ---------------------------------------------------------------------------
WORDS = st.sampled_from(["a", "bb", "保工资", "三保 need", "x y", "", "需求", "EMP.4.2.4", "−80"])
CELLS = st.sampled_from(["0", "61,547", "-", "8.8%", "三公", "a\tb", "long text 很长的说明", ""])


def _pandas_text(frame: pd.DataFrame, wide: bool, text_columns: list[int], hide: bool) -> str:
    """What fiscal_sim's text table printed through pandas (outputs.render_table before the
    grid): text columns padded to one display width, then ``to_string``."""
    with pd.option_context(
        "display.unicode.east_asian_width",
        wide,
        "display.max_rows",
        None,
        "display.max_columns",
        None,
        "display.width",
        10_000,
    ):
        frame = frame.copy()
        for position in text_columns:
            texts = frame.iloc[:, position].tolist()
            most = max(display_width(text) for text in texts)
            frame.iloc[:, position] = [text + " " * (most - display_width(text)) for text in texts]
        all_text = len(text_columns) == len(frame.columns)
        return frame.to_string(index=not hide, justify="left" if all_text else None)


@st.composite
def tables(draw):
    height = draw(st.integers(1, 6))
    hide = draw(st.booleans())
    if hide:  # a default 0, 1, 2 … index, which the outputs never show
        levels, names = [list(range(height))], [None]
    else:
        depth = draw(st.integers(1, 3))
        levels = []
        for _ in range(depth):
            values = st.integers(-12, 2025) if draw(st.booleans()) else WORDS
            levels.append(draw(st.lists(values, min_size=height, max_size=height)))
        names = draw(st.lists(st.none() | WORDS, min_size=depth, max_size=depth))
    width = draw(st.integers(1, 4))
    columns = draw(
        st.lists(st.integers(0, 3000), min_size=width, max_size=width, unique=True)
        | st.lists(WORDS, min_size=width, max_size=width, unique=True)
    )
    cells = [draw(st.lists(CELLS, min_size=width, max_size=width)) for _ in range(height)]
    text_columns = sorted(draw(st.sets(st.integers(0, width - 1))))
    column_name = draw(st.none() | WORDS)
    return levels, names, columns, column_name, cells, text_columns, hide


@settings(max_examples=300, deadline=None)
@given(table=tables(), wide=st.booleans())
def test_the_grid_is_laid_out_as_pandas_lays_out_the_same_table(table, wide):
    levels, names, columns, column_name, cells, text_columns, hide = table
    rows = tuple(zip(*levels, strict=True))
    if hide:
        index = pd.RangeIndex(len(rows))
    elif len(levels) > 1:
        index = pd.MultiIndex.from_tuples(rows, names=names)
    else:
        index = pd.Index(levels[0], name=names[0])
    frame = pd.DataFrame(cells, index=index, columns=pd.Index(columns, name=column_name))
    frame = frame.astype(object)
    grid = Grid(
        rows=rows,
        columns=tuple(columns),
        cells=tuple(map(tuple, cells)),
        row_names=tuple(names),
        column_name=column_name,
        attrs={"hide_index": hide, "text_columns": text_columns},
    )
    assert grid_text(grid, wide) == _pandas_text(frame, wide, text_columns, hide)


def test_a_grid_becomes_the_dataframe_excel_is_written_from():
    grid = Grid(
        rows=(("小规模纳税人", "EMP.4.2.4"),),
        columns=(2019, 2020),
        cells=((0.0, -300.0),),
        row_names=("措施", "条款"),
        column_name="年度",
    )
    frame = grid.to_frame()
    assert list(frame.index.names) == ["措施", "条款"] and frame.columns.name == "年度"
    assert frame.loc[("小规模纳税人", "EMP.4.2.4"), 2020] == -300.0
