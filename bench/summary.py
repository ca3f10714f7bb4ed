"""The run's one table of targets, printed and written with the machine it ran on to a page."""

from .measure import BASE_DIR

PERFORMANCE_PAGE = BASE_DIR / "docs" / "performance.md"


def targets_table(results):
    """The targets the run measured, as a Markdown table: measured, goal, met or missed by."""
    rows = [
        target | {"scenario": name}
        for name, record in results["scenarios"].items()
        for target in record.get("targets", [])
    ]
    if not rows:
        return []
    lines = ["| target | measured | goal | verdict | scenario |", "|---|---|---|---|---|"]
    for row in rows:
        measured = "not measured" if row["measured"] is None else f"{row['measured']}{row['unit']}"
        note = f" ({row['note']})" if row["note"] else ""
        lines.append(
            f"| {row['name']} | {measured} | {row['goal']} | {row['verdict']}{note} "
            f"| `{row['scenario']}` |"
        )
    return lines


def write_performance_page(results, table):
    """Overwrite docs/performance.md with this run's table, machine, versions, load and date."""
    machine = results["machine"]
    load = machine["load_average_at_start"][0], machine.get("load_average_at_end", ["?"])[0]
    versions = ", ".join(f"{name} {number}" for name, number in results["versions"].items())
    database = results["database"]
    lines = [
        "# Performance, as `make bench` last measured it",
        "",
        "Written by `python -m bench.run` (`make bench`) at the end of every run, so it shows",
        "the last run only; the figures are what that run measured, nothing else. See",
        "`bench/README.md` for what each scenario does.",
        "",
        f"- Date: {results['started_at']} (UTC)",
        f"- Command: `{' '.join(['python -m bench.run', *results['command'][1:]])}`, scale "
        f"{results['scale']}"
        + ("" if results["scale"] == 1 else " (targets are set for scale 1)"),
        f"- Machine: {machine['cpus']} CPUs, {machine['memory_gb']} GB of memory, "
        f"{machine['platform']}",
        f"- Load average (1 min): {load[0]} at the start, {load[1]} at the end",
        f"- Versions: {versions}",
        f"- Database: {database['name']} ({database['vendor']})",
        "",
        "## Targets",
        "",
        *(table or ["No scenario with a target ran."]),
        "",
        "## Scenarios",
        "",
    ]
    for name, record in results["scenarios"].items():
        lines.append(f"- `{name}`: {record.get('line', record.get('reason', ''))}")
    PERFORMANCE_PAGE.parent.mkdir(exist_ok=True)
    PERFORMANCE_PAGE.write_text("\n".join(lines) + "\n")
    return PERFORMANCE_PAGE
