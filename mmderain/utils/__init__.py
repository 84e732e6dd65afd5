from .atomic_files import (AtomicLocalBackend, FileWriteError,
                           atomic_write_bytes, atomic_write_text,
                           register_atomic_local_backend)
from .checkpoint import (CheckpointRefusedError, checkpoint_safe_globals,
                         load_checkpoint_file, register_checkpoint_loader,
                         register_checkpoint_safe_globals)
from .images import (IMG_EXTENSIONS, is_image_file, list_images, natural_key,
                     read_image)
from .paths import check_writable_dir

__all__ = [
    'AtomicLocalBackend', 'CheckpointRefusedError', 'FileWriteError',
    'IMG_EXTENSIONS', 'atomic_write_bytes', 'atomic_write_text',
    'check_writable_dir', 'checkpoint_safe_globals', 'is_image_file',
    'list_images', 'load_checkpoint_file', 'natural_key', 'read_image',
    'register_atomic_local_backend', 'register_checkpoint_loader',
    'register_checkpoint_safe_globals'
]
