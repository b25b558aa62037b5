"""The emulator of the video API: a real HTTP server on loopback with scalable time and injected faults."""

from hailuo_dsl.emulator.faults import Faults
from hailuo_dsl.emulator.models import EmulatedTask, EmulatorClock, EmulatorStats, http_date
from hailuo_dsl.emulator.mp4 import build_mp4, iter_boxes
from hailuo_dsl.emulator.server import Emulator

__all__ = ["EmulatedTask", "Emulator", "EmulatorClock", "EmulatorStats", "Faults", "build_mp4", "http_date", "iter_boxes"]
