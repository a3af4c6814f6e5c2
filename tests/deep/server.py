"""A server-like loop that never exits: leaks one Session per request."""
import sys
import time


class Session:
    def __init__(self, sid):
        self.sid = sid
        self.buf = "s" * 512


SESSIONS = []


def serve():
    sid = 0
    while True:
        for _ in range(50):
            SESSIONS.append(Session(sid))  # LEAK-LINE
            sid += 1
        time.sleep(0.02)


if __name__ == "__main__":
    print("serving", " ".join(sys.argv[1:]), flush=True)
    serve()
