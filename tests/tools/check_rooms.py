#!/usr/bin/env python3
"""The rooms of models/ use only the rooms before them (docs/design.md §1). All rooms share one
include directory, so a wrong-way include compiles; this check fails on it, naming file and line.
Usage: check_rooms.py MODELS_DIR"""
import os
import re
import sys

# Each room and the rooms it may include, in the order data flows.
ALLOWED = {
    "core": set(),
    "analysis": {"core"},
    "formats": {"core", "analysis"},
    "trtllm": {"core", "analysis", "formats"},
    "load": {"core", "analysis", "formats", "trtllm"},
    "output": {"core", "analysis"},
    "live": {"core", "analysis", "formats", "trtllm", "load"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z]+)/[^"]+"')


def main():
    models = sys.argv[1]
    problems = []
    for room in sorted(os.listdir(models)):
        if not os.path.isdir(os.path.join(models, room)):
            continue
        if room not in ALLOWED:
            problems.append("%s: a room this check does not know (add it to ALLOWED)" % room)
            continue
        for name in sorted(os.listdir(os.path.join(models, room))):
            if not name.endswith((".h", ".cpp")):
                continue
            path = os.path.join(models, room, name)
            with open(path, encoding="utf-8") as text:
                for number, line in enumerate(text, 1):
                    match = INCLUDE.match(line)
                    if match and match.group(1) in ALLOWED and match.group(1) != room \
                            and match.group(1) not in ALLOWED[room]:
                        problems.append("%s:%d: room '%s' includes room '%s', which comes after it"
                                        % (os.path.relpath(path, models), number, room, match.group(1)))
    for problem in problems:
        print(problem)
    print("%d wrong-way include(s)" % len(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
