from .sequential_train_loop import SequentialTrainLoop

__all__ = ['SequentialTrainLoop']
