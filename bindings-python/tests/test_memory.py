"""Keys do not outlive themselves: once every key and keyring made from a
secret is gone, the process's heap holds no copy of the key (the core's
AES crates wipe the expanded key when a key is dropped; the keyring's list
of keys is allocated at its final size, so growing it leaves no copy behind
in a freed buffer).

What is searched for is the start of the key's AES-256 key schedule, as it
sits in a key object: the 32 key bytes followed by the third round key. (A
bare 32-byte copy of the key can be left on a thread's stack by moves, and
from there in the unused part of a later object; the search does not look
for that.)"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator

import pytest

import teamweb_identity as ti

# A secret of random-looking bytes (a run like 0x10, 0x11, ... would be
# found in any byte table in memory). Its text is base64, so Python never
# holds its raw bytes, and the search looks for the schedule's bytes plus
# one (`SHIFTED`, written in hex: key || round key 2, each byte + 1), so the
# process holds the schedule itself only in a copy of the key.
SECRET = "nD5x0loI9LbhJ32TxaBPG2jS4DqWsVx/JOipDTtsH1c="
SHIFTED = bytes.fromhex(
    "9d3f72d35b09f5b7e2287e94c6a1501c69d3e13b97b25d8025e9aa0e3c6d2058ceff2b3198f7df8777d2a416b472ed0f"
)
PLUS_ONE = bytes((b + 1) % 256 for b in range(256))


CHUNK = 1 << 20
# One buffer for every read, wiped after each search: the search itself
# leaves no copy of what it read in freed memory.
BUFFER = bytearray(CHUNK)


def heap_holds_key() -> bool:
    """Whether the heap or any writable anonymous mapping holds the key."""
    found = False
    with open("/proc/self/maps") as maps, open("/proc/self/mem", "rb", 0) as mem:
        regions = [line.split() for line in maps]
        for fields in regions:
            start, end = (int(x, 16) for x in fields[0].split("-"))
            path = fields[5] if len(fields) > 5 else ""
            if found or not fields[1].startswith("rw") or path not in ("", "[heap]"):
                continue
            pos = start
            while pos < end and not found:
                try:
                    mem.seek(pos)
                    n = mem.readinto(memoryview(BUFFER)[: min(CHUNK, end - pos)])
                except (OSError, ValueError, OverflowError):
                    break
                found = BUFFER.translate(PLUS_ONE).find(SHIFTED, 0, n) >= 0
                pos += CHUNK - len(SHIFTED)
    BUFFER[:] = bytes(CHUNK)
    return found


def live_key_is_found() -> bool:
    """Whether the search finds a key while it lives (the schedule is laid
    out as searched for where AES runs on AES-NI)."""
    key = ti.IdentityKey.from_base64(SECRET)
    assert key.decrypt(key.encrypt("u")).id == "u"
    found = heap_holds_key()
    del key
    return found


@pytest.mark.skipif(
    not os.path.exists("/proc/self/mem"),
    reason="reads /proc/self/mem (Linux with /proc mounted; not in a bare chroot)",
)
def test_no_key_left_behind() -> None:
    if not live_key_is_found():
        pytest.skip("this CPU's AES key schedule is not laid out as the search expects")

    def keys() -> Iterator[ti.IdentityKey]:
        # A generator: the keyring cannot know how many keys come.
        yield ti.IdentityKey.from_base64(SECRET)
        for _ in range(40):
            yield ti.IdentityKey.generate()

    for _ in range(3):
        ring = ti.IdentityKeyring(keys())
        token = ring.encrypt("u1")
        assert ti.IdentityKey.from_base64(SECRET).decrypt(token).id == "u1"
        assert ti.IdentityKeyring(keys()).decrypt(token).id == "u1"
        del ring
    gc.collect()
    assert not heap_holds_key()
