#!/usr/bin/env python3
"""Prints the docs/reliability.md table rows from fuzz/logs/<target>.log
(written by fuzz/run-all.sh): executions, seconds, coverage (cov/ft) at the
end of the run, and the committed corpus (files, bytes) under fuzz/corpus."""
import pathlib, re

root = pathlib.Path(__file__).resolve().parent
print("| target | executions | seconds | exec/s | cov | ft | corpus files | corpus KB | result |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
for log in sorted((root / "logs").glob("*.log")):
    t = log.stem
    if "." in t:  # an earlier run kept as <target>.first.log
        continue
    text = log.read_text(errors="replace")
    runs = re.search(r"^Done (\d+) runs in (\d+) second", text, re.M)
    last = [l for l in text.splitlines() if re.match(r"#\d+\s", l)]
    cov = re.search(r"cov: (\d+) ft: (\d+)", last[-1]) if last else None
    execs = re.search(r"number_of_executed_units: (\d+)", text)
    rate = re.search(r"average_exec_per_sec:\s+(\d+)", text)
    crash = "crash" if "Test unit written" in text else ("clean" if runs else "?")
    corpus = [p for p in (root / "corpus" / t).iterdir() if p.name != "README.md"]
    kb = sum(p.stat().st_size for p in corpus) // 1024
    secs = runs.group(2) if runs else "-"
    print(f"| {t} | {int(execs.group(1)) if execs else 0:,} | {secs} | {rate.group(1) if rate else '-'} | "
          f"{cov.group(1) if cov else '-'} | {cov.group(2) if cov else '-'} | {len(corpus)} | {kb} | {crash} |")
