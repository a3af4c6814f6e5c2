"""Leaks a little, then raises."""
LEAK = []


class Thing:
    pass


def work():
    for i in range(5000):
        LEAK.append(Thing())  # LEAK-LINE
    raise RuntimeError("target failed on purpose")


work()
