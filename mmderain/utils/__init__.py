from .checkpoint import (CheckpointRefusedError, checkpoint_safe_globals,
                         load_checkpoint_file, register_checkpoint_loader,
                         register_checkpoint_safe_globals)

__all__ = [
    'CheckpointRefusedError', 'checkpoint_safe_globals',
    'load_checkpoint_file', 'register_checkpoint_loader',
    'register_checkpoint_safe_globals'
]
