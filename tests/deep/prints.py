"""Writes to stdout and stderr (partial lines, binary, unflushed tail)."""
import sys

print("hello from the target", sys.argv[1:])
for i in range(2000):
    sys.stdout.write("line %d %s\n" % (i, "x" * (i % 37)))
sys.stdout.buffer.write(b"\x00\xff raw bytes\r\n")
sys.stderr.write("to stderr\n")
sys.stdout.write("no newline at the end")
