"""Stage 1 of Task Transfer Learning: rainy / rain-free recognition."""
from typing import Dict, List, Optional, Sequence, Union

import torch
from mmengine.model import BaseModel
from torch import Tensor

from mmagic.registry import MODELS
from mmagic.structures import DataSample
from ..aglf_vit import build_decoder


def gather_labels(data_samples: Union[DataSample, Sequence[DataSample]],
                  num: int) -> Tensor:
    """Recognition labels of a batch as an (N, 1) tensor.

    Args:
        data_samples (DataSample | Sequence[DataSample]): Stacked or listed
            data samples whose ``gt_label`` holds the 0/1 label.
        num (int): Batch size, to check the labels against.
    """
    try:
        if isinstance(data_samples, DataSample):
            labels = data_samples.gt_label.label
        else:
            labels = torch.stack([ds.gt_label.label for ds in data_samples])
    except AttributeError as err:
        raise KeyError(
            'TTLRecognizer needs a recognition label per image: the data '
            "pipeline must set 'gt_label' (e.g. the dataset's label "
            "argument) and pack it with PackInputs.") from err
    if labels.numel() != num:
        raise ValueError(f'TTLRecognizer: got {labels.numel()} labels for '
                         f'{num} images.')
    return labels.reshape(num, 1)


@MODELS.register_module()
class TTLRecognizer(BaseModel):
    """Recognition transfer task T_recog: E_recog + D_recog.

    "Removing Rain Streaks via Task Transfer Learning", Eq. 1: the encoder
    and the recognition head map a real rainy or rain-free photo to a score
    that is regressed onto its 0/1 label (the paper uses 0 for rainy and 1
    for rain-free) with a squared error.

    Args:
        encoder (dict): Encoder config (``AGLFViTEncoder``).
        head (dict): Head config (``SPPRecognitionHead``); ``in_channels``
            defaults to the encoder width.
        loss (dict): Loss between score and label. Default: ``MSELoss``.
        data_preprocessor (dict, optional): Data preprocessor config.
        init_cfg (dict, optional): Initialization config.
    """

    def __init__(self,
                 encoder: dict,
                 head: dict,
                 loss: dict = dict(type='MSELoss'),
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.encoder = MODELS.build(encoder)
        self.head = build_decoder(head, self.encoder.out_channels,
                                  'TTLRecognizer.head')
        self.recog_loss = MODELS.build(loss)

    def forward(self,
                inputs: Union[Tensor, Dict[str, Tensor]],
                data_samples: Optional[DataSample] = None,
                mode: str = 'tensor'
                ) -> Union[Tensor, Dict[str, Tensor], List[DataSample]]:
        """Score images.

        Args:
            inputs (Tensor | dict): Images (N, C, H, W), or a dict holding
                them under 'img'.
            data_samples (DataSample, optional): Labels under ``gt_label``.
            mode (str): 'tensor' returns the (N, 1) scores, 'loss' the
                loss dict, 'predict' data samples with ``pred_score``.
        """
        if isinstance(inputs, dict):
            inputs = inputs['img']
        scores = self.head(self.encoder(inputs))
        if mode == 'tensor':
            return scores
        if mode == 'loss':
            labels = gather_labels(data_samples, scores.shape[0])
            return dict(loss_recog=self.recog_loss(scores, labels.to(scores)))
        if mode == 'predict':
            samples = (
                data_samples.split(allow_nonseq_value=True) if isinstance(
                    data_samples, DataSample) else list(data_samples or []))
            samples = samples or [DataSample() for _ in scores]
            for sample, score in zip(samples, scores):
                sample.set_field(score.detach().cpu(), 'pred_score')
            return samples
        raise ValueError(f'TTLRecognizer: unknown mode {mode!r}; use '
                         "'tensor', 'loss' or 'predict'.")
