"""CPU time per phase of a book's PDF build, in this process and in its layout workers.

On a machine shared with other work, wall time says more about the neighbours than about the
code; the CPU time of each phase, and which phases run while the workers are busy and which run
while they are not (the serial part), are what a change can be judged by. The writer puts the
breakdown in its report (stats["phases"]); bench/editions.py prints it.
"""
from __future__ import annotations

import time
from contextlib import contextmanager


class Phases:
    """Accumulates (CPU seconds, wall seconds) per named phase."""

    def __init__(self):
        self.cpu: dict[str, float] = {}
        self.wall: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str):
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.process_time() - cpu, time.perf_counter() - wall)

    def add(self, name: str, cpu: float, wall: float = 0.0) -> None:
        self.cpu[name] = self.cpu.get(name, 0.0) + cpu
        self.wall[name] = self.wall.get(name, 0.0) + wall

    def merge(self, cpu: dict[str, float], prefix: str = "") -> None:
        for name, seconds in cpu.items():
            self.add(prefix + name, seconds)

    def to_dict(self) -> dict[str, dict[str, float]]:
        return {name: {"cpu": round(self.cpu[name], 4), "wall": round(self.wall[name], 4)} for name in self.cpu}
