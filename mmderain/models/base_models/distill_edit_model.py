"""A restoration model whose training loss takes the regularizers of
continual learning as named terms."""
from types import MappingProxyType
from typing import Callable, Dict, List, Mapping, Optional

from mmagic.models import BaseEditModel
from mmagic.registry import MODELS
from mmagic.structures import DataSample
from torch import Tensor

#: A loss term: ``term(inputs, feats) -> Tensor``, called with the
#: preprocessed inputs of the batch and the network output on them.
LossTerm = Callable[[Tensor, Tensor], Tensor]


@MODELS.register_module()
class DistillEditModel(BaseEditModel):
    """``BaseEditModel`` whose training loss is the pixel loss plus the
    named terms that hooks set:

    ``L(f(x), y) + sum_k term_k(x, f(x))``.

    ``TeacherSnapshotHook`` sets ``loss_distill``, Eq. 7 of Neural
    Reorganization (Xiao et al., ICCV 2021, Sec. 3.2), at every task start;
    ``EWCHook``, ``MASHook`` and ``PIGWMHook`` set their quadratic penalty
    (``loss_ewc``, ``loss_mas``, ``loss_pigwm``) at every task end. Terms
    are set and removed with :meth:`set_loss_term` and
    :meth:`remove_loss_term` (see :mod:`.loss_terms`); each is logged under
    its own name, the pixel loss as ``loss_pix``.

    The model, not the optimizer wrapper, is the one place where a
    regularizer joins the loss: distillation needs the batch and the
    network output, which only the model's forward sees; a penalty on the
    parameters is a term like any other; and a term in the model's loss
    dict takes the task loss's path, summed by ``parse_losses`` and logged,
    run under the wrapper's autocast, then scaled for gradient accumulation
    and AMP, clipped and stepped with it, with no second mechanism to keep
    in step.

    Terms stay out of the module tree: they are not in ``state_dict()``,
    ``parameters()`` or the optimizer, and ``train()`` / ``to()`` leave
    them alone. With no terms the model trains exactly as
    ``BaseEditModel`` (only the loss is logged as ``loss_pix``).

    Args:
        generator (dict): Config of the restoration network.
        pixel_loss (dict): Config of the training loss ``L``.
        distill_loss (dict, optional): Removed: the distillation loss is an
            argument of ``TeacherSnapshotHook``; anything but None raises.
        train_cfg (dict, optional): Training config. Defaults to None.
        test_cfg (dict, optional): Testing config. Defaults to None.
        init_cfg (dict, optional): Initialization config. Defaults to None.
        data_preprocessor (dict, optional): Data preprocessor config.
            Defaults to None.
    """

    def __init__(self,
                 generator: dict,
                 pixel_loss: dict,
                 distill_loss: Optional[dict] = None,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None) -> None:
        if distill_loss is not None:
            raise TypeError(
                'DistillEditModel: model.distill_loss moved to '
                'TeacherSnapshotHook(distill_loss=...): set it on the '
                'TeacherSnapshotHook in custom_hooks (as '
                'configs/_base_/methods/nr.py does) and remove '
                'model.distill_loss.')
        super().__init__(
            generator=generator,
            pixel_loss=pixel_loss,
            train_cfg=train_cfg,
            test_cfg=test_cfg,
            init_cfg=init_cfg,
            data_preprocessor=data_preprocessor)
        # A dict is not registered by nn.Module, so terms holding modules
        # or parameters stay out of the module tree.
        self._loss_terms: Dict[str, LossTerm] = {}

    @property
    def loss_terms(self) -> Mapping[str, LossTerm]:
        """Mapping[str, LossTerm]: The current terms, read-only, in the
        order they were set."""
        return MappingProxyType(self._loss_terms)

    def set_loss_term(self, name: str, term: LossTerm) -> None:
        """Set (or replace) the loss term ``name``.

        Args:
            name (str): Key of the term in the loss dict and the log. It
                must contain ``'loss'``, as mmengine's ``parse_losses``
                sums only such keys, and must not be ``'loss_pix'``.
            term (LossTerm): ``term(inputs, feats) -> Tensor``.
        """
        if not isinstance(name, str) or 'loss' not in name:
            raise ValueError(
                f"A loss term's name must contain 'loss' (mmengine sums "
                f'only those into the training loss), got {name!r}.')
        if name == 'loss_pix':
            raise ValueError("'loss_pix' is the pixel loss of the model; "
                             'name the term otherwise.')
        if not callable(term):
            raise TypeError(f'The loss term {name!r} must be callable as '
                            f'term(inputs, feats), got {type(term)}.')
        self._loss_terms[name] = term

    def remove_loss_term(self, name: str) -> None:
        """Remove the loss term ``name``; nothing happens when it is not
        set."""
        self._loss_terms.pop(name, None)

    def forward_train(self,
                      inputs: Tensor,
                      data_samples: Optional[List[DataSample]] = None,
                      **kwargs) -> Dict[str, Tensor]:
        """Training losses: ``loss_pix`` and every term by its name."""
        feats = self.forward_tensor(inputs, data_samples, **kwargs)
        losses = dict(loss_pix=self.pixel_loss(feats, data_samples.gt_img))
        for name, term in self._loss_terms.items():
            losses[name] = term(inputs, feats)
        return losses
