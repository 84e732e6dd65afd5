from .atomic_files import (AtomicLocalBackend, FileWriteError,
                           atomic_write_bytes, atomic_write_text,
                           register_atomic_local_backend)
from .checkpoint import (CheckpointRefusedError, checkpoint_safe_globals,
                         load_checkpoint_file, register_checkpoint_loader,
                         register_checkpoint_safe_globals)
from .paths import check_writable_dir

__all__ = [
    'AtomicLocalBackend', 'CheckpointRefusedError', 'FileWriteError',
    'atomic_write_bytes',
    'atomic_write_text', 'check_writable_dir', 'checkpoint_safe_globals',
    'load_checkpoint_file',
    'register_atomic_local_backend', 'register_checkpoint_loader',
    'register_checkpoint_safe_globals'
]
