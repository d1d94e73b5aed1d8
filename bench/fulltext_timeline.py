"""One full-text refresh split by its own debug log (used by
bench/fulltext_refresh.sh with TIMELINE=1): when the first and the last page
finished downloading, and how long the process took after the last one (the
last extraction and write, the cleanup, the final checkpoint and the exit).

usage: fulltext_timeline.py START END LOG_FILE
START and END are the epoch seconds taken just before and after the run; LOG_FILE
is the refresh's log at `KHABAR_LOG=khabar=debug`.
"""
import datetime
import sys

start, end = float(sys.argv[1]), float(sys.argv[2])


def at(line):
    stamp = line.split()[0].rstrip("Z")
    return datetime.datetime.fromisoformat(stamp + "+00:00").timestamp()


downloads = [at(l) for l in open(sys.argv[3], encoding="utf-8") if "page downloaded" in l]
downloads = [t for t in downloads if start <= t <= end]
if not downloads:
    sys.exit("no 'page downloaded' lines in the log: was KHABAR_LOG=khabar=debug set?")
print(
    f"first page {min(downloads) - start:.3f} s, last page {max(downloads) - start:.3f} s, "
    f"exit {end - start:.3f} s: {end - max(downloads):.3f} s after the last page"
)
