"""Nonces never repeat under one key: not across threads, not across fork()
(docs/FORMAT.md section 5), with a key made and used before forking."""

from __future__ import annotations

import base64
import multiprocessing
import os
import threading

import teamweb_identity as ti

KEY = ti.IdentityKey.generate()
PER_CHILD = 50


def nonce_of(token: str) -> bytes:
    return base64.b64decode(token)[:12]


def mint(n: int) -> list[bytes]:
    return [nonce_of(KEY.encrypt("worker", name="W")) for _ in range(n)]


def test_fork_children_never_repeat_the_parents_nonces() -> None:
    parent = mint(PER_CHILD)  # the generator is seeded before the fork
    read_end, write_end = os.pipe()
    children = []
    for _ in range(24):
        pid = os.fork()
        if pid == 0:  # child: mint, write the nonces, leave without cleanup
            try:
                os.close(read_end)
                os.write(write_end, b"".join(mint(PER_CHILD)))
            finally:
                os._exit(0)
        children.append(pid)
    os.close(write_end)
    data = bytearray()
    with os.fdopen(read_end, "rb") as pipe:
        while chunk := pipe.read(65536):
            data += chunk
    for pid in children:
        assert os.waitpid(pid, 0)[1] == 0
    parent += mint(PER_CHILD)  # and the parent goes on after the fork
    from_children = [bytes(data[i : i + 12]) for i in range(0, len(data), 12)]
    assert len(from_children) == 24 * PER_CHILD
    everything = parent + from_children
    assert len(set(everything)) == len(everything)


def _pool_mint(_: int) -> list[bytes]:
    return mint(PER_CHILD)


def test_multiprocessing_fork_pool() -> None:
    parent = mint(10)
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(4) as pool:
        batches = pool.map(_pool_mint, range(16), chunksize=1)
    everything = parent + [n for batch in batches for n in batch]
    assert len(everything) == 10 + 16 * PER_CHILD
    assert len(set(everything)) == len(everything)


def test_threads_share_one_key() -> None:
    results: list[list[bytes]] = [[] for _ in range(8)]
    start = threading.Barrier(8)

    def work(i: int) -> None:
        start.wait()
        for _ in range(2000):
            token = KEY.encrypt(f"t{i}", email="a@b")
            results[i].append(nonce_of(token))
            assert KEY.decrypt(token).id == f"t{i}"

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    everything = [n for r in results for n in r]
    assert len(everything) == 8 * 2000
    assert len(set(everything)) == len(everything)


def test_keyrings_dropped_in_other_threads_release_their_keys() -> None:
    # The native module holds Python references (a keyring's keys) and is
    # built without pyo3's deferred-release pool, so every release must
    # happen at once, whichever thread drops the last reference.
    import gc
    import sys

    key = ti.IdentityKey.generate()
    gc.collect()
    baseline = sys.getrefcount(key)
    made: list[ti.IdentityKeyring] = []
    lock = threading.Lock()

    def make() -> None:
        for _ in range(500):
            ring = ti.IdentityKeyring([key, ti.IdentityKey.generate()])
            with lock:
                made.append(ring)

    def drop() -> None:
        for _ in range(1000):
            with lock:
                ring = made.pop() if made else None
            if ring is not None:
                assert ring.decrypt(ring.encrypt("u")).id == "u"
            del ring

    threads = [threading.Thread(target=make) for _ in range(4)] + [threading.Thread(target=drop) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    made.clear()
    gc.collect()
    assert sys.getrefcount(key) == baseline
