#!/usr/bin/env python3
"""Runs the commands that Markdown docs show and compares their output's shape with the documented one,
so that README.md and docs/usage.md cannot rot (docs/testing.md, "Documented commands").

What is run, from each file's fenced code blocks:
  * a line `$ COMMAND` is a transcript: COMMAND runs, and the lines after it (up to the next `$` line
    or the end of the block) are its documented output;
  * in a block fenced as ```sh, every line that starts with `build/autorec/cli/autorec`, `autorec` or
    `mkdir` runs as it is (a trailing `# comment` is the shell's); other lines, such as
    `bash scripts/run.sh test` (which is what runs this test), are not run.
Commands run in order in one temporary folder, so a model trained by one is there for the next.

Verbatim, with two explicit stand-ins:
  * the binary: the folder holds build/autorec/cli/autorec (a link to the built program) and is first
    on PATH with an `autorec` link, so both spellings run the program under test;
  * real data: the docs name MovieLens files that cannot be committed; small synthetic files in the same
    formats are written at the paths they use: ml-1m/ratings.dat (user::item::rating) and
    ml-100k/u.data (tab-separated, with a timestamp), from `autorec synth`.
CUDA_VISIBLE_DEVICES is emptied so `--device auto` picks the CPU, as in the documented outputs.

How output is compared: stdout and stderr together, line by line, after every number becomes `#` and
runs of spaces become one. A documented line `...` stands for any number of lines, and `...` inside a
line for any text; other documented lines must match output lines in order and next to each other, and
the first and last ones must be the output's first and last unless `...` is there. A transcript whose
output shows `autorec: error:` must exit with 2; any other command with 0.

usage: check_doc_commands.py --autorec PATH [--skip REASON] DOC.md...
       (exit 0: all matched; 1: a mismatch; 77 with --skip: skipped, for ctest's SKIP_RETURN_CODE)
"""
import argparse
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

RUN_PREFIXES = ("build/autorec/cli/autorec", "autorec ", "mkdir ")


def commands_of(path):
    """[(line number, command, documented output lines or None)] of one Markdown file."""
    found = []
    lines = pathlib.Path(path).read_text(encoding="utf-8").split("\n")
    in_block, language, transcript = False, "", None
    for number, line in enumerate(lines, 1):
        if line.startswith("```"):
            if in_block and transcript is not None:
                found.append(transcript)
            in_block, language, transcript = not in_block, line[3:].strip(), None
            continue
        if not in_block:
            continue
        if line.startswith("$ "):
            if transcript is not None:
                found.append(transcript)
            transcript = (number, line[2:], [])
        elif transcript is not None:
            transcript[2].append(line)
        elif language == "sh" and line.startswith(RUN_PREFIXES):
            found.append((number, line, None))
    return found


def normalise(line):
    line = re.sub(r"\d+(\.\d+)?(e[+-]?\d+)?", "#", line)
    line = re.sub(r"#h#m|#m#s", "#s", line)  # durations: 5s, 1m05s, 2h03m
    return re.sub(r"\s+", " ", line).strip()


def shape_matches(documented, actual):
    """Whether the output lines `actual` have the shape of the documented lines (see the module doc)."""
    pattern = ""
    for index, line in enumerate(documented):
        if line.strip() == "...":
            pattern += r"(?:[^\n]*\n)*?"
            continue
        parts = [re.escape(normalise(part)) for part in line.split("...")]
        pattern += r"[^\n]*".join(parts) + r"\n"
    text = "".join(normalise(line) + "\n" for line in actual)
    return re.fullmatch(pattern, text) is not None


def make_data(folder, autorec, env):
    (folder / "ml-1m").mkdir()
    (folder / "ml-100k").mkdir()
    subprocess.run([autorec, "synth", "--n-users", "300", "--n-items", "200", "--n-ratings", "9000", "--seed", "3",
                    "--synth-format", "ml-1m", "--out", "ml-1m/ratings.dat"], cwd=folder, env=env, check=True,
                   capture_output=True)
    subprocess.run([autorec, "synth", "--n-users", "200", "--n-items", "150", "--n-ratings", "6000", "--seed", "5",
                    "--out", "ml-100k/ratings.csv"], cwd=folder, env=env, check=True, capture_output=True)
    csv = folder / "ml-100k" / "ratings.csv"
    with open(folder / "ml-100k" / "u.data", "w", encoding="utf-8") as out:
        for i, row in enumerate(csv.read_text().split()):
            user, item, rating = row.split(",")
            out.write(f"{user}\t{item}\t{rating}\t{874965758 + i}\n")
    csv.unlink()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--autorec", required=True, help="the built autorec program")
    parser.add_argument("--skip", metavar="REASON", help="report the test as skipped (exit 77) with REASON")
    parser.add_argument("docs", nargs="+")
    args = parser.parse_args()
    if args.skip:
        print(f"SKIPPED: {args.skip}")
        return 77
    autorec = os.path.abspath(args.autorec)
    failures, ran = [], 0
    with tempfile.TemporaryDirectory(prefix="autorec-docs-") as tmp:
        folder = pathlib.Path(tmp)
        (folder / "bin").mkdir()
        os.symlink(autorec, folder / "bin" / "autorec")
        (folder / "build" / "autorec" / "cli").mkdir(parents=True)
        os.symlink(autorec, folder / "build" / "autorec" / "cli" / "autorec")
        env = dict(os.environ, PATH=f"{folder / 'bin'}:{os.environ.get('PATH', '')}", CUDA_VISIBLE_DEVICES="")
        make_data(folder, autorec, env)
        for doc in args.docs:
            for number, command, documented in commands_of(doc):
                where = f"{doc}:{number}: {command}"
                result = subprocess.run(["bash", "-c", command], cwd=folder, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, timeout=600)
                ran += 1
                output = result.stdout.rstrip("\n").split("\n") if result.stdout.strip() else []
                expected_code = 2 if documented and any("autorec: error:" in l for l in documented) else 0
                if result.returncode != expected_code:
                    failures.append(f"{where}\n  exit status {result.returncode}, expected {expected_code}\n  " +
                                    "\n  ".join(output[-15:]))
                elif documented is not None and not shape_matches(documented, output):
                    failures.append(f"{where}\n  output does not have the documented shape\n  documented:\n    " +
                                    "\n    ".join(documented) + "\n  printed:\n    " + "\n    ".join(output))
                else:
                    print(f"ok  {where}")
    for failure in failures:
        print("FAILED " + failure)
    print(f"{ran} documented commands run, {len(failures)} failed")
    if ran == 0:
        print("FAILED: no documented command found")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
