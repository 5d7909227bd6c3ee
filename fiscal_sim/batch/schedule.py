"""Blocks of counties as Dask tasks, or in this process.

A batch is cut into blocks of ``block`` counties; each block is one task
(:func:`fiscal_sim.batch.work.project_block`). With a ``distributed.Client`` the tasks go to
its scheduler (a local cluster or an existing one: the same code); without one they run here,
one after the other. Dask is imported only when a client is used, by whoever made it.

:func:`local_cluster` starts the default cluster of the ``batch`` command: its scheduler,
workers and dashboard bound to the loopback interface only (Dask's dashboard otherwise
listens on every interface).
"""

from __future__ import annotations

import contextlib
import os

from fiscal_sim.batch.work import project_block

DEFAULT_BLOCK = 10
SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"


def blocks_of(counties, block: int) -> list[list]:
    """The counties cut into consecutive blocks of at most ``block``.

    Examples
    --------
    >>> [len(b) for b in blocks_of(list(range(25)), 10)]
    [10, 10, 5]
    """
    if block < 1:
        raise ValueError(f"block must be at least 1, got {block}")
    return [list(counties[start : start + block]) for start in range(0, len(counties), block)]


def run_blocks(
    counties,
    draws: int,
    seed: int,
    client=None,
    block: int = DEFAULT_BLOCK,
    on_block=None,
) -> list:
    """Every county's :class:`~fiscal_sim.batch.work.CountyResult`, in the counties' order.

    ``client``: a ``distributed.Client`` (tasks on its cluster) or None (this process).
    ``on_block``: called in this process with each block's results as the block completes
    (in the order blocks complete on a cluster), e.g. to count counties done and failed on a
    progress bar. The results returned are in the counties' order whatever the completion
    order.
    """
    parts = blocks_of(counties, block)
    if client is None:
        done = []
        for part in parts:
            done.append(project_block(part, draws, seed))
            if on_block is not None:
                on_block(done[-1])
        return [result for part in done for result in part]
    from distributed import as_completed

    futures = client.map(project_block, parts, draws=draws, seed=seed, pure=False)
    position = {future.key: index for index, future in enumerate(futures)}
    done = [None] * len(futures)
    for future, part in as_completed(futures, with_results=True):
        done[position[future.key]] = part
        if on_block is not None:
            on_block(part)
    return [result for part in done for result in part]


def scheduler_address(given: str | None) -> str | None:
    """The address of an existing cluster: ``given``, else ``$DASK_SCHEDULER_ADDRESS``."""
    return given or os.environ.get(SCHEDULER_ENV) or None


@contextlib.contextmanager
def local_cluster(workers: int | None = None):
    """A ``distributed.LocalCluster`` on loopback only and its client (``with … as client``).

    One single-threaded worker process per core (or ``workers``); the engine is numpy code
    that holds the GIL between calls, so processes, not threads.
    """
    import logging

    from distributed import Client, LocalCluster

    n_workers = workers or os.cpu_count() or 1
    with (
        LocalCluster(
            n_workers=n_workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


@contextlib.contextmanager
def existing_cluster(address: str):
    """A client of the cluster at ``address`` (``tcp://host:8786``)."""
    from distributed import Client

    with Client(address) as client:
        yield client
