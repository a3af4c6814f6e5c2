"""Allocates and frees a lot, keeps nothing: no line or type should grow."""
import time


class Job:
    def __init__(self, n):
        self.data = [n] * 50


def main():
    end = time.monotonic() + 1.5
    total = 0
    while time.monotonic() < end:
        jobs = [Job(i) for i in range(200)]
        total += sum(len(j.data) for j in jobs)
        del jobs
        time.sleep(0.002)
    return total


main()
