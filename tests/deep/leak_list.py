"""Leaks Record objects into a module-level list on one known line."""
import time


class Record:
    def __init__(self, i, payload):
        self.i = i
        self.payload = payload


LEAK = []


def handle(i):
    tmp = [str(j) for j in range(20)]  # garbage, freed at once
    LEAK.append(Record(i, "payload-%08d-" % i + "x" * 400))  # LEAK-LINE
    return len(tmp)


def main():
    end = time.monotonic() + 1.5
    i = 0
    while time.monotonic() < end:
        handle(i)
        i += 1
        if i % 200 == 0:
            time.sleep(0.005)


main()
