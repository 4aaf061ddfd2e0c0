#!/usr/bin/env python3
"""Classifies ThreadSanitizer reports in test logs (usage: .ci/tsan-triage.py LOG...).

A report whose two accesses both sit inside Mutex.withLock bodies (the closure's mangled name ends
in `zYuYTXEfU_`: `(inout sending Value) throws(E) -> sending Result`) is the known false positive of
Swift's Synchronization.Mutex on Linux: under contention the lock is handed over by the kernel
(FUTEX_LOCK_PI / FUTEX_UNLOCK_PI), so TSan sees no happens-before edge. Everything else is listed
for a person to read.
"""
import collections
import re
import sys

LOCK_BODY = re.compile(r'zYuYTXEfU\d*_')
ACCESS = re.compile(r'  (Read|Write|Atomic|Modifying access|Read-only access|Previous)')


def access_stacks(lines):
    """The first two access stacks of a report, frames as text."""
    stacks = []
    for i, line in enumerate(lines):
        if not ACCESS.match(line):
            continue
        stack = []
        for frame in lines[i + 1:]:
            if not frame.strip().startswith('#'):
                break
            stack.append(frame.strip())
        stacks.append(stack)
        if len(stacks) == 2:
            break
    return stacks


def main(paths):
    mutex = collections.Counter()
    others = []
    for path in paths:
        text = open(path, errors='replace').read()
        for block in text.split('WARNING: ThreadSanitizer:')[1:]:
            block = block.split('==================')[0]
            lines = block.split('\n')
            kind = lines[0].split('(pid')[0].strip()
            stacks = access_stacks(lines)
            tops = [s[0] if s else '' for s in stacks]
            if len(tops) == 2 and all(len(t.split(' ')) > 1 and LOCK_BODY.search(t.split(' ')[1]) for t in tops):
                parts = tops[0].split(' ', 2)
                site = re.sub(r'\s+\(.*', '', parts[2]) if len(parts) > 2 else '?'
                mutex[(kind, site)] += 1
            else:
                others.append((path, kind, tops))
    print('Mutex (PI futex) false positives:', sum(mutex.values()))
    for (kind, site), n in mutex.most_common():
        print(f'  {n:3d}  {kind}  {site}')
    print('Other reports:', len(others))
    for path, kind, tops in others:
        print('  ', path, kind)
        for top in tops:
            print('     ', top[:220])
    return 1 if others else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
