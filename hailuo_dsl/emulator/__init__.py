"""The emulator of the video API: a real HTTP server on loopback with scalable time and injected faults.

Its videos are animatics of their requests (``hailuo_dsl.emulator.animatic``); PyAV is loaded only
when the first one is made.
"""

from hailuo_dsl.emulator.faults import Faults
from hailuo_dsl.emulator.models import EmulatedTask, EmulatorClock, EmulatorStats, http_date
from hailuo_dsl.emulator.server import Emulator

__all__ = ["EmulatedTask", "Emulator", "EmulatorClock", "EmulatorStats", "Faults", "http_date"]
