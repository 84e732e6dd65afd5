"""Stage 3 of Task Transfer Learning: distil the teachers into a student."""
from typing import Dict, Optional, Union

import torch
from mmengine.model import BaseModel
from torch import Tensor, nn

from mmagic.registry import MODELS
from mmagic.structures import DataSample
from ..aglf_vit import build_decoder
from .stage_checkpoint import load_stage_weights

# Where each teacher's encoder and decoder sit in the checkpoint of the
# stage that trained it (TTLRecognizer and TTLRestorer attribute names).
TEACHER_PREFIXES = {
    'recognition': ('encoder.', 'head.'),
    'reconstruction': ('generator.encoder.', 'generator.decoder.'),
}


@MODELS.register_module()
class TTLDistiller(BaseModel):
    """Knowledge distillation of E_recog and E_recon into E_stu.

    "Removing Rain Streaks via Task Transfer Learning", Eqs. 3-5, on real
    rainy images I: direct matching ``||E_stu(I) - E_t(I)||^2`` and
    indirect matching through the frozen teacher decoders
    ``||D_t(E_stu(I)) - D_t(E_t(I))||^2`` for each teacher t. The student
    and both teacher encoders share the ``encoder`` architecture (Fig. 3).

    The teachers are loaded from the checkpoints of stages 1 and 2 in
    :meth:`init_weights`, take no gradient, and stay in eval mode, so
    their weights stay bit-identical. The reconstruction teacher's
    decoder is compared without the network's input residual, which is
    the same on both sides. Leaving out one teacher (its decoder config
    ``None``) distils from one teacher alone; the paper's single-task
    ablations (Table 3) instead fine-tune that teacher's encoder directly
    (``configs/ttl/*-recog-only*``, ``*-recon-only*``).

    Default reading of Eqs. 3-5: ``L_kd = L_kdd + L_kdi``, each the sum of
    one term per teacher, all four terms with weight 1 (``term_weights``
    changes them). Each term is ``FeatureDistillLoss``'s mean squared
    error over elements and batch, where the paper writes squared L2 norms
    summed over images; the two readings differ per term by a constant
    (the term's element count), which changes the terms' relative weight:
    ``reduction='sum'`` in ``direct_loss`` / ``indirect_loss`` gives the
    literal per-batch sums, ``term_weights`` any other balance.

    Args:
        encoder (dict): Encoder config for the student and the teachers.
        recog_head (dict, optional): Config of D_recog; None drops the
            recognition teacher.
        recon_decoder (dict, optional): Config of D_recon; None drops the
            reconstruction teacher.
        recognition_checkpoint (str, optional): Checkpoint file or work
            directory of the recognition stage (``TTLRecognizer``).
        reconstruction_checkpoint (str, optional): Checkpoint file or work
            directory of the reconstruction stage (``TTLRestorer``).
        direct_loss (dict): Loss of Eq. 3, applied per teacher.
            Default: ``FeatureDistillLoss``.
        indirect_loss (dict): Loss of Eq. 4, applied per teacher.
            Default: ``FeatureDistillLoss``.
        term_weights (dict[str, float], optional): Weights of the four
            terms by loss name without the ``loss_`` prefix:
            ``direct_recognition``, ``indirect_recognition``,
            ``direct_reconstruction``, ``indirect_reconstruction``. Missing
            terms keep weight 1. Defaults to None: all 1 (Eq. 5).
        data_preprocessor (dict, optional): Data preprocessor config.
        init_cfg (dict, optional): Initialization config.
    """

    def __init__(self,
                 encoder: dict,
                 recog_head: Optional[dict] = None,
                 recon_decoder: Optional[dict] = None,
                 recognition_checkpoint: Optional[str] = None,
                 reconstruction_checkpoint: Optional[str] = None,
                 direct_loss: dict = dict(type='FeatureDistillLoss'),
                 indirect_loss: dict = dict(type='FeatureDistillLoss'),
                 term_weights: Optional[Dict[str, float]] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if recog_head is None and recon_decoder is None:
            raise ValueError('TTLDistiller needs at least one teacher: set '
                             'recog_head and/or recon_decoder.')
        self.student = MODELS.build(encoder)
        self.teachers = nn.ModuleDict()
        self.teacher_checkpoints = {}
        stages = (('recognition', recog_head, recognition_checkpoint),
                  ('reconstruction', recon_decoder, reconstruction_checkpoint))
        for name, decoder, checkpoint in stages:
            if decoder is None:
                continue
            self.teachers[name] = nn.ModuleDict(
                dict(
                    encoder=MODELS.build(encoder),
                    decoder=build_decoder(decoder, self.student.out_channels,
                                          f'TTLDistiller.{name} decoder')))
            self.teacher_checkpoints[name] = checkpoint
        self.teachers.requires_grad_(False)
        terms = [
            f'{kind}_{name}' for name in self.teachers
            for kind in ('direct', 'indirect')
        ]
        unknown = sorted(set(term_weights or {}) - set(terms))
        if unknown:
            raise ValueError(
                f'TTLDistiller.term_weights has {unknown}, which are not '
                f'terms of this distiller; its terms are {terms}.')
        self.term_weights = {t: 1.0 for t in terms}
        self.term_weights.update(term_weights or {})
        self.direct_loss = MODELS.build(direct_loss)
        self.indirect_loss = MODELS.build(indirect_loss)

    def init_weights(self) -> None:
        """Initialise the student, then load every teacher."""
        super().init_weights()
        for name, teacher in self.teachers.items():
            encoder_prefix, decoder_prefix = TEACHER_PREFIXES[name]
            load_stage_weights(
                self.teacher_checkpoints[name], f'model.{name}_checkpoint', {
                    encoder_prefix: teacher['encoder'],
                    decoder_prefix: teacher['decoder']
                })

    def train(self, mode: bool = True) -> 'TTLDistiller':
        """Set the student's mode; the teachers always stay in eval mode."""
        super().train(mode)
        self.teachers.eval()
        return self

    def forward(self,
                inputs: Union[Tensor, Dict[str, Tensor]],
                data_samples: Optional[DataSample] = None,
                mode: str = 'tensor') -> Union[Tensor, Dict[str, Tensor]]:
        """Distil on a batch of real rainy images.

        Args:
            inputs (Tensor | dict): Images (N, C, H, W), or a dict holding
                them under 'img'.
            data_samples (DataSample, optional): Unused.
            mode (str): 'tensor' returns the student features, 'loss' the
                dict of ``loss_direct_<teacher>`` and
                ``loss_indirect_<teacher>`` terms.
        """
        if isinstance(inputs, dict):
            inputs = inputs['img']
        feat = self.student(inputs)
        if mode == 'tensor':
            return feat
        if mode != 'loss':
            raise ValueError(f'TTLDistiller: unknown mode {mode!r}; use '
                             "'tensor' or 'loss'.")
        losses = {}
        for name, teacher in self.teachers.items():
            with torch.no_grad():
                teacher_feat = teacher['encoder'](inputs)
                teacher_out = teacher['decoder'](teacher_feat)
            losses[f'loss_direct_{name}'] = self.term_weights[
                f'direct_{name}'] * self.direct_loss(feat, teacher_feat)
            losses[f'loss_indirect_{name}'] = self.term_weights[
                f'indirect_{name}'] * self.indirect_loss(
                    teacher['decoder'](feat), teacher_out)
        return losses
