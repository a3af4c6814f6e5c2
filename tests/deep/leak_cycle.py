"""Reference cycles (parent <-> child) kept alive from a global registry."""
import gc
import time


class Node:
    def __init__(self, name):
        self.name = name
        self.peer = None
        self.blob = bytearray(256)


KEEP = []


def make_pair(i):
    a = Node("a%d" % i)
    b = Node("b%d" % i)
    a.peer, b.peer = b, a
    KEEP.append(a)  # only a is kept: b lives through the cycle


def main():
    end = time.monotonic() + 1.5
    i = 0
    while time.monotonic() < end:
        make_pair(i)
        i += 1
        if i % 100 == 0:
            gc.collect(0)
            time.sleep(0.005)


main()
