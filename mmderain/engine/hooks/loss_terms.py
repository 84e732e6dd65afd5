"""The model that continual-learning hooks add loss terms to."""
from mmengine.model import is_model_wrapper
from torch import nn


def loss_term_model(runner, owner: str) -> nn.Module:
    """The runner's model, unwrapped, checked to take loss terms.

    Args:
        runner: The runner.
        owner (str): Name of the hook, for the error message.

    Raises:
        TypeError: The model has no ``set_loss_term`` (see
            :class:`~mmderain.models.DistillEditModel`).
    """
    model = runner.model
    model = model.module if is_model_wrapper(model) else model
    if not (hasattr(model, 'set_loss_term')
            and hasattr(model, 'remove_loss_term')):
        raise TypeError(
            f"{owner} adds a term to the model's training loss and needs "
            "model.type='DistillEditModel' (or a model with set_loss_term "
            f'and remove_loss_term), got {type(model).__name__}.')
    return model
