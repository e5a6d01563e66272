#!/usr/bin/env python3
"""Mutation check: every listed source mutation must make a test fail.

Each mutant in tests/mutation/mutants.json names a file, an exact text that must occur there exactly
once, its replacement, the build targets to rebuild and a ctest regex of the tests that should catch it.
The check copies the tree to a scratch folder (the real sources are never touched), builds the targets
once (CPU backend + SIMT emulation, no nvcc), checks that the selected tests pass unmutated, then applies
each mutant in turn, rebuilds incrementally and runs its tests. A mutant is killed when its build or
its tests fail. Survivors are reported by name and make the check fail.

usage: scripts/mutation_check.py [--work DIR] [--only NAME[,NAME...]] [--jobs N] [--budget SECONDS]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(command, cwd, timeout=None, quiet=True):
    """Runs a command; returns its exit code (124 on timeout)."""
    try:
        result = subprocess.run(command, cwd=cwd, timeout=timeout,
                                stdout=subprocess.DEVNULL if quiet else None,
                                stderr=subprocess.DEVNULL if quiet else None)
        return result.returncode
    except subprocess.TimeoutExpired:
        return 124


def copy_tree(work):
    """The tracked (and untracked, not ignored) files of the project, mirrored under work/src. Files whose
    content is unchanged keep their time stamps, so a second run rebuilds only what changed."""
    source = os.path.join(work, "src")
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for relative in filter(None, listed):
        origin = os.path.join(ROOT, relative)
        if not os.path.isfile(origin):
            continue
        target = os.path.join(source, relative)
        with open(origin, "rb") as f:
            content = f.read()
        if os.path.isfile(target):
            with open(target, "rb") as f:
                if f.read() == content:
                    continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as f:  # a fresh time stamp: the build sees the change
            f.write(content)
        shutil.copymode(origin, target)
    return source


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", default=os.path.join(ROOT, "build-mutation"))
    parser.add_argument("--only", default="")
    parser.add_argument("--jobs", default=str(os.cpu_count() or 2))
    parser.add_argument("--budget", type=float, default=0, help="stop starting mutants after this many seconds")
    args = parser.parse_args()

    with open(os.path.join(ROOT, "tests", "mutation", "mutants.json")) as f:
        mutants = json.load(f)["mutants"]
    # Every target any mutant names is (re)built, even with --only: a test regex may match tests of
    # another executable, which must not be a stale (mutated) build.
    targets = sorted({t for m in mutants for t in m["targets"]})
    if args.only:
        wanted = set(args.only.split(","))
        mutants = [m for m in mutants if m["name"] in wanted]
    started = time.monotonic()

    source = copy_tree(args.work)
    # A previous run's last mutant was restored without a rebuild: make every mutated file newer than
    # its objects, so the baseline build below cannot reuse a mutated object.
    for m in mutants:
        os.utime(os.path.join(source, m["file"]))
    build = os.path.join(args.work, "build")
    configure = ["cmake", "-S", source, "-B", build, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
                 "-DAUTOREC_ENABLE_CUDA=OFF", "-DAUTOREC_BUILD_BENCH=OFF"]
    if run(configure, ROOT) != 0:
        sys.exit("mutation check: cmake configure failed")
    print(f"mutation check: building {', '.join(targets)} once", flush=True)
    if run(["cmake", "--build", build, "-j", args.jobs, "--target", *targets], ROOT, quiet=False) != 0:
        sys.exit("mutation check: the unmutated build failed")
    env_tests = "|".join(f"({m['tests']})" for m in mutants)
    ctest = ["ctest", "--test-dir", build, "-j", args.jobs, "--timeout", "300"]
    if run(ctest + ["-R", env_tests], ROOT) != 0:
        sys.exit("mutation check: the selected tests fail without any mutation")

    killed, survived, skipped = [], [], []
    for m in mutants:
        if args.budget and time.monotonic() - started > args.budget:
            skipped.append(m["name"])
            continue
        path = os.path.join(source, m["file"])
        with open(path) as f:
            original = f.read()
        if original.count(m["find"]) != 1:
            sys.exit(f"mutation check: mutant '{m['name']}': the text to replace occurs "
                     f"{original.count(m['find'])} times in {m['file']} (the list is stale)")
        t0 = time.monotonic()
        try:
            with open(path, "w") as f:
                f.write(original.replace(m["find"], m["replace"]))
            built = run(["cmake", "--build", build, "-j", args.jobs, "--target", *m["targets"]], ROOT) == 0
            caught = not built or run(ctest + ["-R", m["tests"]], ROOT, timeout=600) != 0
        finally:
            with open(path, "w") as f:
                f.write(original)
            os.utime(path)  # the next build sees the restored file as changed
        (killed if caught else survived).append(m["name"])
        verdict = "killed" if caught else "SURVIVED"
        how = "" if built else " (by the build)"
        print(f"  {verdict:8} {m['name']}{how}  [{time.monotonic() - t0:.0f} s]", flush=True)

    print(f"\nmutation check: {len(killed)} killed, {len(survived)} survived, {len(skipped)} not run "
          f"(budget), {time.monotonic() - started:.0f} s")
    for name in survived:
        print(f"  survivor: {name}")
    for name in skipped:
        print(f"  not run: {name}")
    sys.exit(1 if survived else 0)


if __name__ == "__main__":
    main()
