"""`make lint`'s dependency audit: pip-audit over requirements.lock, with one policy in CI
(CI=true) and locally alike.

- A known vulnerability in a pinned package fails (exit 1), listing each with its fix.
- Not reaching the advisory data only warns (exit 0): offline, or a package index without
  PyPI's JSON API, where pip-audit "skips" every package and then reports nothing found. A
  network outage must not turn the build red, and a silent skip must not read as a pass.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

LOCK = Path(__file__).resolve().parent.parent / "requirements.lock"
PIP_AUDIT = Path(sys.executable).parent / "pip-audit"


def audit(lock: Path) -> tuple[list[dict[str, object]], str]:
    """pip-audit's report of the lock file's packages (empty when it could not run) and the
    last line of what it printed on stderr."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "audit.json"
        done = subprocess.run(
            [
                str(PIP_AUDIT),
                "--requirement",
                str(lock),
                "--no-deps",
                "--disable-pip",
                "--progress-spinner",
                "off",
                "--format",
                "json",
                "--output",
                str(report),
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
        last = (done.stderr.strip().splitlines() or [""])[-1]
        if not report.exists() or not report.stat().st_size:
            return [], last
        return list(json.loads(report.read_text(encoding="utf-8"))["dependencies"]), last


def main(lock: Path = LOCK) -> int:
    packages, last = audit(lock)
    if not packages:
        print(f"WARNING: pip-audit could not reach its vulnerability service: {last}")
        return 0
    found = [
        f"{package['name']} {package['version']}: {vuln['id']} "
        f"(fixed in {', '.join(vuln['fix_versions']) or 'no release yet'})"
        for package in packages
        for vuln in package.get("vulns", [])  # type: ignore[attr-defined]
    ]
    skipped = [package["name"] for package in packages if "skip_reason" in package]
    for line in found:
        print(line)
    if skipped:
        print(
            f"WARNING: pip-audit could not audit {len(skipped)} of {len(packages)} packages "
            "(no advisory data reachable for them)."
        )
    audited = len(packages) - len(skipped)
    print(f"pip-audit: {audited} packages audited, {len(found)} known vulnerabilities.")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else LOCK))
