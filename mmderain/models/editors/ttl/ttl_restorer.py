"""Image-to-image stages of Task Transfer Learning."""
from typing import Dict, Optional

from torch import Tensor

from mmagic.models.base_models import BaseEditModel
from mmagic.registry import MODELS
from mmagic.structures import DataSample
from .stage_checkpoint import load_stage_weights


@MODELS.register_module()
class TTLRestorer(BaseEditModel):
    """Restoration model for the reconstruction task, the de-raining
    fine-tuning and the V2 baseline of TTL.

    "Removing Rain Streaks via Task Transfer Learning": the reconstruction
    task T_recon maps a Gaussian-blurred clear photo to the photo with the
    loss of Eq. 2 (L2 plus L2 of the horizontal and vertical gradients);
    the final stage pairs the distilled student encoder E_stu with a fresh
    de-raining decoder D_dr and trains both on synthetic pairs "with a loss
    similar to Eq. 2". V2 (Table 4) is the same network from scratch.

    Args:
        generator (dict): Network config, an ``AGLFViTNet`` (any generator
            with an ``encoder`` attribute when ``encoder_checkpoint`` is
            set).
        pixel_loss (dict): Pixel loss, e.g. ``MSELoss``.
        gradient_loss (dict, optional): Gradient loss, e.g.
            ``GradientMSELoss``. Default: None.
        encoder_checkpoint (str, optional): Checkpoint file or work
            directory of the stage whose encoder initialises
            ``generator.encoder`` (loaded in :meth:`init_weights`, so
            resuming or ``load_from`` still overrides it). Default: None
            (train from scratch).
        encoder_prefix (str): Key prefix of that encoder in the checkpoint:
            ``'student.'`` for a ``TTLDistiller``, ``'encoder.'`` for a
            ``TTLRecognizer``, ``'generator.encoder.'`` for a
            ``TTLRestorer``. Default: 'student.'.
        train_cfg (dict, optional): Training config. Default: None.
        test_cfg (dict, optional): Testing config. Default: None.
        init_cfg (dict, optional): Initialization config. Default: None.
        data_preprocessor (dict, optional): Data preprocessor config.
    """

    def __init__(self,
                 generator: dict,
                 pixel_loss: dict,
                 gradient_loss: Optional[dict] = None,
                 encoder_checkpoint: Optional[str] = None,
                 encoder_prefix: str = 'student.',
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
        self.gradient_loss = (
            MODELS.build(gradient_loss) if gradient_loss else None)
        if encoder_checkpoint and not hasattr(self.generator, 'encoder'):
            raise TypeError(
                f'TTLRestorer: encoder_checkpoint is set but the generator '
                f'{type(self.generator).__name__} has no `encoder` to load '
                'it into.')
        self.encoder_checkpoint = encoder_checkpoint
        self.encoder_prefix = encoder_prefix

    def init_weights(self) -> None:
        """Initialise, then load the earlier stage's encoder if given."""
        super().init_weights()
        if self.encoder_checkpoint:
            load_stage_weights(self.encoder_checkpoint,
                               'model.encoder_checkpoint',
                               {self.encoder_prefix: self.generator.encoder})

    def forward_train(self,
                      inputs: Tensor,
                      data_samples: Optional[DataSample] = None,
                      **kwargs) -> Dict[str, Tensor]:
        """Pixel loss plus, if configured, gradient loss (Eq. 2)."""
        output = self.forward_tensor(inputs, data_samples, **kwargs)
        target = data_samples.gt_img
        losses = dict(loss_pix=self.pixel_loss(output, target))
        if self.gradient_loss is not None:
            losses['loss_grad'] = self.gradient_loss(output, target)
        return losses
