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
from typing import Dict, List, Mapping, Optional, Sequence

from mmengine.config import Config
from mmengine.runner import Runner

from mmderain.apis.runner_cfg import (build_train_cfg, dataset_folders,
                                      missing_set_notes)

STAGES = ('recognition', 'reconstruction', 'distillation', 'finetune')

# Config option of a stage <- the earlier stages whose work directory it
# reads, the first one in the chain (the option names of TTLDistiller and
# TTLRestorer). With one transfer task the paper distils nothing (Table 3):
# the fine-tuning starts from that task's encoder, and its config sets the
# matching model.encoder_prefix.
HANDOVER = {
    'distillation': {
        'model.recognition_checkpoint': ('recognition', ),
        'model.reconstruction_checkpoint': ('reconstruction', ),
    },
    'finetune': {
        'model.encoder_checkpoint':
        ('distillation', 'recognition', 'reconstruction')
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
                    cfg_options: Optional[dict] = None,
                    stage_options: Optional[Mapping[str, dict]] = None
                    ) -> Config:
    """The runner config of one stage, wired to earlier stages' outputs.

    Args:
        name (str): Stage name, one of :data:`STAGES`.
        config (str): The stage's config file.
        work_dir (str): Work directory of this stage.
        stage_dirs (Mapping[str, str]): Work directories of the stages
            trained so far.
        cfg_options (dict, optional): Overrides applied to every stage.
        stage_options (Mapping[str, dict], optional): Further overrides of
            single stages, by stage name (e.g. smaller test sets for
            ``'finetune'``).

    Returns:
        Config: Config for ``Runner.from_cfg``.
    """
    options = dict(cfg_options or {})
    options.update((stage_options or {}).get(name, {}))
    cfg = build_train_cfg(config, work_dir=work_dir, cfg_options=options)
    handover = {}
    for option, sources in HANDOVER.get(name, {}).items():
        found = [stage_dirs[s] for s in sources if s in stage_dirs]
        if found:
            handover[option] = found[0]
    cfg.merge_from_dict(handover)
    return cfg


def check_training_data(name: str, config: str, cfg: Config) -> None:
    """Fail early when a stage's training data folder is missing.

    A pipeline trains for a long time before its last stages build their
    datasets; a missing folder of a later stage should not waste that.

    Args:
        name (str): Stage name.
        config (str): The stage's config file (for the message).
        cfg (Config): The stage's runner config.

    Raises:
        FileNotFoundError: A folder of ``cfg.train_dataloader.dataset`` does
            not exist.
    """
    for folder in dataset_folders(cfg.train_dataloader.dataset):
        if not osp.isdir(folder):
            raise FileNotFoundError(
                f'TTL stage {name!r} ({config}) trains on the folder '
                f'"{folder}", which does not exist. Put or link the data '
                'there (see docs/en/datasets.md).')


def train_and_test(cfg: Config, test: bool) -> Dict[str, float]:
    """Train one config; then, if asked, evaluate on its test sets.

    Returns:
        dict: The test metrics (empty without ``test``) plus
        ``'train_time_s'``.
    """
    start = time.time()
    runner = Runner.from_cfg(cfg)
    runner.train()
    elapsed = time.time() - start
    metrics = {}
    if test:
        returned = runner.test()
        # mmagic's MultiTestLoop returns nothing; mmengine's RuntimeInfoHook
        # has logged every metric under 'test/<name>'.
        metrics = dict(returned) if returned else {
            key[len('test/'):]: history.current()
            for key, history in runner.message_hub.log_scalars.items()
            if key.startswith('test/')
        }
    metrics['train_time_s'] = elapsed
    return metrics


def run_ttl_pipeline(config: str,
                     work_dir: str,
                     cfg_options: Optional[dict] = None,
                     test: bool = False,
                     stage_options: Optional[Mapping[str, dict]] = None
                     ) -> Dict[str, float]:
    """Train all TTL stages of a fine-tuning config in order.

    Args:
        config (str): The fine-tuning config (with ``ttl_stages``).
        work_dir (str): Root work directory; stage ``s`` trains in
            ``<work_dir>/<s>``.
        cfg_options (dict, optional): Overrides applied to every stage,
            e.g. ``{'train_cfg.max_iters': 10}`` for a smoke run.
        test (bool): Evaluate the fine-tuned model on the config's test
            sets. Default: False.
        stage_options (Mapping[str, dict], optional): Overrides of single
            stages, by stage name.

    Returns:
        dict: Test metrics of the fine-tuned model (when ``test``) and
        ``'train_time_s'``, the training wall time of all stages.
    """
    chain = load_stage_chain(config)
    stage_dirs = {name: osp.join(work_dir, name) for name in chain}
    # Every stage's config first, so that missing data stops the pipeline
    # before anything trains. Each stage reads only earlier stages' dirs.
    cfgs = {}
    for name, stage_config in chain.items():
        cfgs[name] = build_stage_cfg(name, stage_config, stage_dirs[name],
                                     stage_dirs, cfg_options, stage_options)
        check_training_data(name, stage_config, cfgs[name])
    metrics: Dict[str, float] = {}
    total_time = 0.
    for name, cfg in cfgs.items():
        metrics = train_and_test(cfg, test and name == 'finetune')
        total_time += metrics['train_time_s']
    metrics['train_time_s'] = total_time
    return metrics


def run_comparison(configs: Sequence[str],
                   work_dir: str,
                   cfg_options: Optional[dict] = None,
                   stage_options: Optional[Mapping[str, dict]] = None
                   ) -> 'OrderedDict[str, Dict[str, float]]':
    """Train and test several de-raining configs, e.g. TTL and V2.

    A config with ``ttl_stages`` runs its whole TTL pipeline
    (:func:`run_ttl_pipeline`); any other config (such as the V2 baseline)
    trains on its own. Each works in ``<work_dir>/<config name>``.

    Args:
        configs (Sequence[str]): Config files; they should share test sets.
        work_dir (str): Root work directory.
        cfg_options (dict, optional): Overrides applied to every stage.
        stage_options (Mapping[str, dict], optional): Overrides of single
            stages, by stage name; a config without ``ttl_stages`` counts
            as a ``'finetune'`` stage.

    Returns:
        OrderedDict: Config name -> test metrics and ``'train_time_s'``.
    """
    results = OrderedDict()
    for config in configs:
        name = osp.splitext(osp.basename(config))[0]
        run_dir = osp.join(work_dir, name)
        if Config.fromfile(config).get('ttl_stages', None):
            results[name] = run_ttl_pipeline(
                config, run_dir, cfg_options, True, stage_options)
        else:
            cfg = build_stage_cfg('finetune', config, run_dir, {},
                                  cfg_options, stage_options)
            results[name] = train_and_test(cfg, test=True)
    return results


def comparison_notes(configs: Sequence[str],
                     results: Mapping[str, Mapping[str, float]]) -> List[str]:
    """Name the optional test sets (e.g. real rain) that runs lack.

    Args:
        configs (Sequence[str]): The compared configs, as given to
            :func:`run_comparison`.
        results (Mapping): Its output: config name -> metrics with keys
            ``'<set>-<channel>/<metric>'``.

    Returns:
        list[str]: One line per optional test set that some run was not
        tested on because its data folder was missing.
    """
    runs = {osp.splitext(osp.basename(c))[0]: c for c in configs}
    evaluated = {
        name: {key.split('/')[0].rsplit('-', 1)[0]
               for key in metrics if '/' in key}
        for name, metrics in results.items()
    }
    return missing_set_notes(runs, evaluated)


def format_comparison_table(results: Mapping[str, Mapping[str, float]],
                            channel: str = 'Y',
                            notes: Sequence[str] = ()) -> str:
    """A markdown table of PSNR/SSIM per test set, like Table 4.

    Args:
        results (Mapping): Method name -> metrics with keys
            ``'<set>-<channel>/PSNR'`` and ``'<set>-<channel>/SSIM'``
            (the repository's evaluator naming), plus ``'train_time_s'``.
        channel (str): 'Y' or 'RGB'. Default: 'Y'.
        notes (Sequence[str]): Lines written under the table (see
            :func:`comparison_notes`). Default: ().

    Returns:
        str: The table.
    """
    suffix = f'-{channel}/PSNR'
    sets = []
    for metrics in results.values():
        for key in metrics:
            name = key[:-len(suffix)]
            if key.endswith(suffix) and name not in sets:
                sets.append(name)
    header = ['Method'] + [f'{name} PSNR/SSIM ({channel})' for name in sets]
    header.append('Train time')
    lines = [
        '| ' + ' | '.join(header) + ' |',
        '|' + '---|' * len(header),
    ]
    for method, metrics in results.items():
        cells = [method]
        for name in sets:
            psnr = metrics.get(f'{name}-{channel}/PSNR')
            ssim = metrics.get(f'{name}-{channel}/SSIM')
            cells.append('n/a' if psnr is None or ssim is None else
                         f'{psnr:.2f}/{ssim:.4f}')
        seconds = metrics.get('train_time_s')
        cells.append('n/a' if seconds is None else f'{seconds / 60:.1f} min')
        lines.append('| ' + ' | '.join(cells) + ' |')
    if notes:
        lines += [''] + [f'Note: {note}' for note in notes]
    return '\n'.join(lines)
