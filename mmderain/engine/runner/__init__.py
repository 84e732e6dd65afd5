from .sequential_train_loop import SequentialTrainLoop, require_sequential_loop

__all__ = ['SequentialTrainLoop', 'require_sequential_loop']
