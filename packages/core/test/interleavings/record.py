"""Records the expected log of every interleavings program from CPython 3.13.

Usage: python3.13 record.py [--check] [name ...]

Runs harness.py on each `programs/*.py` and writes `<name>.log` next to
it. With `--check`, compares instead of writing and exits 1 if a log differs or is missing.
Names (file stems) restrict the run to those programs.
"""
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
HARNESS = HERE / "harness.py"
DIRS = [HERE / "programs"]


def record(program: pathlib.Path) -> str:
    result = subprocess.run(
        [sys.executable, str(HARNESS), str(program)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if result.returncode != 0:
        raise SystemExit(f"{program.name}: harness failed\n{result.stderr}")
    return result.stdout


def main(argv):
    check = "--check" in argv
    names = {a for a in argv if not a.startswith("--")}
    if sys.version_info[:2] != (3, 13):
        raise SystemExit(f"CPython 3.13 is required, this is {sys.version.split()[0]}")
    differ = 0
    count = 0
    for directory in DIRS:
        for program in sorted(directory.glob("*.py")):
            if names and program.stem not in names:
                continue
            count += 1
            out = record(program)
            log = program.with_suffix(".log")
            if check:
                old = log.read_text() if log.exists() else None
                if old != out:
                    differ += 1
                    print(f"DIFFERS: {program.relative_to(HERE)}")
            elif not log.exists() or log.read_text() != out:
                log.write_text(out)
                print(f"wrote {log.relative_to(HERE)}")
    print(f"{count} programs, {differ} differ" if check else f"{count} programs recorded")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
