#!/usr/bin/env python3
"""Checks the CI definitions users copy: both parse as YAML, both have the
matrix over two architectures and glibc/musl and a gVisor job, and every
repository script a job runs exists and is executable."""
import os
import re
import sys

import yaml

top = sys.argv[1]
failures = []


def check(cond, what):
    print(("ok - " if cond else "not ok - ") + what)
    if not cond:
        failures.append(what)


def commands(node):
    """Every shell line of a job: GitHub 'run' values and GitLab 'script' items."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "run" and isinstance(v, str):
                yield from v.splitlines()
            elif k == "script" and isinstance(v, list):
                yield from (str(x) for x in v)
            else:
                yield from commands(v)
    elif isinstance(node, list):
        for x in node:
            yield from commands(x)


def scripts_exist(doc, name):
    found = 0
    for line in commands(doc):
        for path in re.findall(r"\b(ci/[\w./-]+\.sh)\b", line):
            found += 1
            full = os.path.join(top, path)
            check(os.path.isfile(full) and os.access(full, os.X_OK),
                  f"{name}: {path} exists and is executable")
    check(found > 0, f"{name}: jobs call the repository's scripts")


gh = yaml.safe_load(open(os.path.join(top, "ci/github/ipcconf.yml")))
matrix = gh["jobs"]["suite"]["strategy"]["matrix"]
check(len(matrix["runner"]) == 2 and any("arm" in r for r in matrix["runner"]),
      "github: matrix over x86_64 and arm64 runners")
check(sorted(matrix["libc"]) == ["glibc", "musl"], "github: matrix over glibc and musl")
check(any("matrix-job.sh gvisor" in c for c in commands(gh["jobs"].get("gvisor", {}))),
      "github: a job runs the suite inside gVisor")
check(sorted(gh["jobs"]["merge"]["needs"]) == ["gvisor", "suite"],
      "github: the merge job waits for the matrix and the gVisor job")
scripts_exist(gh, "github")

gl = yaml.safe_load(open(os.path.join(top, "ci/gitlab/ipcconf.gitlab-ci.yml")))
pm = gl["ipcconf-suite"]["parallel"]["matrix"][0]
check(len(pm["ARCH"]) == 2 and sorted(pm["LIBC"]) == ["glibc", "musl"],
      "gitlab: parallel:matrix over two architectures and glibc/musl")
check(any("matrix-job.sh gvisor" in c for c in commands(gl.get("ipcconf-gvisor", {}))),
      "gitlab: a job runs the suite inside gVisor")
check(gl["ipcconf-merge"]["artifacts"]["reports"]["junit"] == "merged/report.xml",
      "gitlab: the merge job publishes JUnit")
scripts_exist(gl, "gitlab")

print(f"check_ci_yaml: {0 if failures else 'all'} ok, {len(failures)} failed")
sys.exit(1 if failures else 0)
