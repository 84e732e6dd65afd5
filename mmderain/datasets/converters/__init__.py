"""Converters that write de-raining datasets to disk: real pairs from a
static-camera video, rendered rain in the Rain100 layout."""
from .rendered_rain import export_rain100_layout, render_rain_split
from .video_pairs import (CameraMotionError, estimate_background,
                          estimate_shifts, find_moving_objects, make_pairs,
                          read_frames, video_to_pairs)

__all__ = [
    'CameraMotionError', 'estimate_background', 'estimate_shifts',
    'export_rain100_layout', 'find_moving_objects', 'make_pairs',
    'read_frames', 'render_rain_split', 'video_to_pairs'
]
