#!/usr/bin/env python3
"""The verdict of a whole `scripts/run.sh test` run, printed as its last lines.

scripts/run.sh records every stage in a tab-separated file (stage, status, detail); a stage that ran
ctest also names the JUnit file ctest wrote (--output-junit). This script counts tests over all
stages -- a ctest stage counts its tests, any other stage (the embedding examples, the GPU check's dry
run, coverage, the mutation check) counts as one check -- and prints what was skipped and why, then
one verdict line. Exit status: 0 when nothing failed, 1 otherwise.

usage: test_verdict.py STAGES_FILE
"""
import os
import re
import sys
import xml.etree.ElementTree as ET

ML100K_HINT = ("the MovieLens-100K tests need the data: download ml-100k (grouplens.org/datasets/movielens/100k) "
               "and set AUTOREC_ML100K_DIR to the folder holding u.data")


def skip_reason(case):
    """The reason a skipped test printed ("SKIPPED: ..."), or what ctest recorded."""
    out = case.findtext("system-out") or ""
    match = re.search(r"SKIPPED: *(.*)", out)
    if match:
        return match.group(1).strip()
    skipped = case.find("skipped")
    message = skipped.get("message") if skipped is not None else ""
    return message or "skipped (no reason printed)"


def read_junit(path):
    """(passed, failed names, skipped (name, reason) pairs) of one ctest run."""
    passed, failed, skipped = 0, [], []
    for case in ET.parse(path).getroot().iter("testcase"):
        name = case.get("name", "?")
        status = case.get("status", "run")
        if case.find("failure") is not None or status == "fail":
            failed.append(name)
        elif case.find("skipped") is not None or status in ("notrun", "disabled"):
            skipped.append((name, skip_reason(case)))
        else:
            passed += 1
    return passed, failed, skipped


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    total_passed, failures, skips, stage_notes = 0, [], [], []
    with open(sys.argv[1], encoding="utf-8") as stages:
        for line in stages:
            stage, status, detail = (line.rstrip("\n").split("\t") + ["", ""])[:3]
            if detail.endswith(".xml") and os.path.exists(detail):
                passed, failed, skipped = read_junit(detail)
                total_passed += passed
                failures += [f"{stage}: {name}" for name in failed]
                skips += [(f"{stage}: {name}", reason) for name, reason in skipped]
                stage_notes.append(f"{stage}: {passed} passed, {len(failed)} failed, {len(skipped)} skipped")
                if status == "failed" and not failed:  # ctest itself failed (no test did): count the stage
                    failures.append(f"{stage}: ctest failed without a failed test (see its output above)")
            elif status == "passed":
                total_passed += 1
                stage_notes.append(f"{stage}: passed")
            elif status == "skipped":
                skips.append((stage, detail or "skipped"))
                stage_notes.append(f"{stage}: skipped")
            else:
                failures.append(f"{stage}: {detail or 'failed'}")
                stage_notes.append(f"{stage}: FAILED")
    print("\n==== scripts/run.sh test: summary ====")
    for note in stage_notes:
        print("  " + note)
    if skips:
        print("skipped:")
        for name, reason in skips:
            print(f"  {name} -- {reason}")
        if any("AUTOREC_ML100K_DIR" in reason for _, reason in skips):
            print("  (" + ML100K_HINT + ")")
    if failures:
        print("failed:")
        for name in failures:
            print("  " + name)
    verdict = "FAILED" if failures else "PASSED"
    print(f"verdict: {verdict}: {total_passed} passed, {len(failures)} failed, {len(skips)} skipped "
          f"over {len(stage_notes)} stages")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
