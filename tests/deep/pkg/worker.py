"""Module-mode target: python -m pkg.worker --count N."""
import sys
import time

from pkg.store import Store

STORE = Store()


def main(argv):
    count = int(argv[argv.index("--count") + 1]) if "--count" in argv else 3000
    for i in range(count):
        STORE.put(i)
        if i % 300 == 0:
            time.sleep(0.01)
    print("stored", len(STORE.items))


if __name__ == "__main__":
    main(sys.argv[1:])
