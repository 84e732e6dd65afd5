"""Run the stages of Task Transfer Learning in order.

TTL ("Removing Rain Streaks via Task Transfer Learning", Fig. 3) trains
four models one after the other: recognition (E_recog + D_recog),
reconstruction (E_recon + D_recon), distillation of both encoders into
E_stu, and fine-tuning of E_stu with a de-raining decoder D_dr. Each stage
is an ordinary config that ``tools/train.py`` can train on its own; the
fine-tuning config lists the configs of the earlier stages in its
``ttl_stages`` variable (paths relative to the config file), for example::

    ttl_stages = dict(
        recognition='aglf-vit_ttl-recog_100k_realrain.py',
        reconstruction='aglf-vit_ttl-recon_100k_realclear.py',
        distillation='aglf-vit_ttl-distill_100k_realrain.py')

:func:`run_ttl_pipeline` trains them in order, each in
``<work_dir>/<stage>``, and points every later stage at the work
directories of the stages it needs (see :data:`HANDOVER`).
"""
import os.path as osp
import time
from collections import OrderedDict
from typing import Dict, Mapping, Optional

from mmengine.config import Config
from mmengine.runner import Runner

from .runner_cfg import build_train_cfg

STAGES = ('recognition', 'reconstruction', 'distillation', 'finetune')

# Config option of a stage <- the earlier stage whose work directory it
# reads (the option names of TTLDistiller and TTLRestorer).
HANDOVER = {
    'distillation': {
        'model.recognition_checkpoint': 'recognition',
        'model.reconstruction_checkpoint': 'reconstruction',
    },
    'finetune': {
        'model.encoder_checkpoint': 'distillation'
    },
}


def load_stage_chain(config: str) -> 'OrderedDict[str, str]':
    """The config file of every stage, in training order.

    Args:
        config (str): The fine-tuning config; its ``ttl_stages`` names the
            earlier stages' configs.

    Returns:
        OrderedDict[str, str]: Stage name -> config path, ending with
        ``'finetune'`` -> ``config``.
    """
    if not osp.isfile(config):
        raise FileNotFoundError(f'Config file not found: {config}')
    stages = Config.fromfile(config).get('ttl_stages', None)
    if not stages:
        raise ValueError(
            f'{config} has no `ttl_stages`: a TTL fine-tuning config lists '
            'the configs of its earlier stages there.')
    unknown = set(stages) - set(STAGES[:-1])
    if unknown:
        raise ValueError(f'{config}: ttl_stages has unknown stages '
                         f'{sorted(unknown)}; valid ones are {STAGES[:-1]}.')
    chain = OrderedDict()
    for name in STAGES[:-1]:
        if name not in stages:
            continue
        path = osp.join(osp.dirname(config), stages[name])
        if not osp.isfile(path):
            raise FileNotFoundError(
                f'{config}: ttl_stages.{name} names {stages[name]!r}, but '
                f'{path} does not exist.')
        chain[name] = path
    chain['finetune'] = config
    return chain


def build_stage_cfg(name: str,
                    config: str,
                    work_dir: str,
                    stage_dirs: Mapping[str, str],
                    cfg_options: Optional[dict] = None) -> Config:
    """The runner config of one stage, wired to earlier stages' outputs.

    Args:
        name (str): Stage name, one of :data:`STAGES`.
        config (str): The stage's config file.
        work_dir (str): Work directory of this stage.
        stage_dirs (Mapping[str, str]): Work directories of the stages
            trained so far.
        cfg_options (dict, optional): Overrides applied to every stage.

    Returns:
        Config: Config for ``Runner.from_cfg``.
    """
    cfg = build_train_cfg(config, work_dir=work_dir, cfg_options=cfg_options)
    handover = {
        option: stage_dirs[source]
        for option, source in HANDOVER.get(name, {}).items()
        if source in stage_dirs
    }
    cfg.merge_from_dict(handover)
    return cfg


def train_and_test(cfg: Config, test: bool) -> Dict[str, float]:
    """Train one config; then, if asked, evaluate on its test sets.

    Returns:
        dict: The test metrics (empty without ``test``) plus
        ``'train_time_s'``.
    """
    start = time.time()
    runner = Runner.from_cfg(cfg)
    runner.train()
    metrics = dict(runner.test()) if test else {}
    metrics['train_time_s'] = time.time() - start
    return metrics


def run_ttl_pipeline(config: str,
                     work_dir: str,
                     cfg_options: Optional[dict] = None,
                     test: bool = False) -> Dict[str, float]:
    """Train all TTL stages of a fine-tuning config in order.

    Args:
        config (str): The fine-tuning config (with ``ttl_stages``).
        work_dir (str): Root work directory; stage ``s`` trains in
            ``<work_dir>/<s>``.
        cfg_options (dict, optional): Overrides applied to every stage,
            e.g. ``{'train_cfg.max_iters': 10}`` for a smoke run.
        test (bool): Evaluate the fine-tuned model on the config's test
            sets. Default: False.

    Returns:
        dict: Test metrics of the fine-tuned model (when ``test``) and
        ``'train_time_s'``, the wall time of all stages.
    """
    start = time.time()
    stage_dirs: Dict[str, str] = {}
    metrics: Dict[str, float] = {}
    for name, stage_config in load_stage_chain(config).items():
        stage_dir = osp.join(work_dir, name)
        cfg = build_stage_cfg(name, stage_config, stage_dir, stage_dirs,
                              cfg_options)
        metrics = train_and_test(cfg, test and name == 'finetune')
        stage_dirs[name] = stage_dir
    metrics['train_time_s'] = time.time() - start
    return metrics
