"""A dict cache that is never evicted: every request adds an entry."""
import time

CACHE = {}


def lookup(key):
    if key not in CACHE:
        CACHE[key] = [key, "v" * 300 + str(key)]  # LEAK-LINE
    return CACHE[key]


def main():
    end = time.monotonic() + 1.5
    i = 0
    while time.monotonic() < end:
        lookup(i)
        lookup(i // 2)  # hits
        i += 1
        if i % 200 == 0:
            time.sleep(0.005)


main()
