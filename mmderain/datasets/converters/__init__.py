"""Converters that turn raw footage into de-raining datasets on disk."""
from .video_pairs import (CameraMotionError, estimate_background,
                          estimate_shifts, find_moving_objects, make_pairs,
                          read_frames, video_to_pairs)

__all__ = [
    'CameraMotionError', 'estimate_background', 'estimate_shifts',
    'find_moving_objects', 'make_pairs', 'read_frames', 'video_to_pairs'
]
