"""A restoration model with the distillation term of Neural Reorganization
(Sec. 3.2, Eq. 7)."""
from typing import Dict, List, Optional

import torch
from mmagic.models import BaseEditModel
from mmagic.registry import MODELS
from mmagic.structures import DataSample
from torch import Tensor, nn


@MODELS.register_module()
class DistillEditModel(BaseEditModel):
    """``BaseEditModel`` whose training loss is Eq. 7:
    ``L(f(x), y) + lambda L(f(x), f_old(x))``, on the current task's images.

    The teacher ``f_old`` is set from outside with :meth:`set_teacher`
    (``TeacherSnapshotHook`` does it at every task start). It is kept out of
    the module tree: it is not in ``state_dict()``, ``parameters()`` or the
    optimizer, and ``train()`` / ``to()`` leave it alone. With no teacher or
    no ``distill_loss`` the model trains like ``BaseEditModel``. The two
    terms are logged separately as ``loss_pix`` and ``loss_distill``.

    Args:
        generator (dict): Config of the restoration network.
        pixel_loss (dict): Config of the training loss ``L``.
        distill_loss (dict, optional): Config of the distillation term,
            e.g. ``dict(type='DistillationLoss', loss_weight=0.8,
            criterion=dict(type='SSIMLoss'))``. Defaults to None.
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
        super().__init__(
            generator=generator,
            pixel_loss=pixel_loss,
            train_cfg=train_cfg,
            test_cfg=test_cfg,
            init_cfg=init_cfg,
            data_preprocessor=data_preprocessor)
        self.distill_loss = MODELS.build(
            distill_loss) if distill_loss is not None else None
        self.__dict__['_teacher'] = None

    @property
    def teacher(self) -> Optional[nn.Module]:
        """nn.Module or None: The frozen previous network."""
        return self.__dict__['_teacher']

    def set_teacher(self, teacher: Optional[nn.Module]) -> None:
        """Set (or clear with None) the frozen teacher network."""
        # Stored in __dict__ so nn.Module does not register it as a child.
        self.__dict__['_teacher'] = teacher

    def forward_train(self,
                      inputs: Tensor,
                      data_samples: Optional[List[DataSample]] = None,
                      **kwargs) -> Dict[str, Tensor]:
        """Training losses: ``loss_pix`` and, with a teacher,
        ``loss_distill``."""
        feats = self.forward_tensor(inputs, data_samples, **kwargs)
        losses = dict(loss_pix=self.pixel_loss(feats, data_samples.gt_img))
        if self.distill_loss is not None and self.teacher is not None:
            with torch.no_grad():
                teacher_feats = self.teacher(inputs, **kwargs)
            losses['loss_distill'] = self.distill_loss(feats, teacher_feats)
        return losses
