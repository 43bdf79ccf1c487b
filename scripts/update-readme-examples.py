#!/usr/bin/env python3
"""Re-run README.md's ```console examples with a built twlint and rewrite their output in place.

The test suite (DocsTests.testEveryREADMEExampleRunsAsShown) checks that every example's output is exactly what
README shows; after a deliberate change of a message, run this, then read `git diff README.md` before committing.
Usage: scripts/update-readme-examples.py [PATH-TO-TWLINT]   (default: .build/debug/twlint)
"""
import os, subprocess, sys, tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, ".build/debug/twlint"))
bindir = tempfile.mkdtemp()
os.symlink(binary, os.path.join(bindir, "twlint"))
env = dict(os.environ, PATH=bindir + ":" + os.environ.get("PATH", "/usr/bin:/bin"), NO_COLOR="1")

lines = open(os.path.join(root, "README.md"), encoding="utf-8").read().split("\n")
out, i = [], 0
while i < len(lines):
    line = lines[i]
    out.append(line)
    i += 1
    if line != "```console":
        continue
    while i < len(lines) and not lines[i].startswith("```"):
        if not lines[i].startswith("$ "):
            out.append(lines[i]); i += 1; continue
        cmd = lines[i]
        out.append(cmd); i += 1
        old = []
        while i < len(lines) and not lines[i].startswith("$ ") and not lines[i].startswith("```"):
            old.append(lines[i]); i += 1
        command = cmd[2:].replace("swift run twlint", "twlint")
        r = subprocess.run(["/bin/sh", "-c", command], cwd=root, env=env, capture_output=True, text=True,
                           stdin=subprocess.DEVNULL)
        new = r.stdout.split("\n")
        if new and new[-1] == "":
            new.pop()
        if old and old[-1] == "...":  # "output continues": keep as many lines as README showed
            new = new[:len(old) - 1] + ["..."]
        out.extend(new)
open(os.path.join(root, "README.md"), "w", encoding="utf-8").write("\n".join(out))
