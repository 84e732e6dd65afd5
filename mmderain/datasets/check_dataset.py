"""Full check of the datasets of a folder or of a config, before training.

What ``tools/analysis_tools/check_dataset.py`` runs: every file is decoded
(:func:`~mmderain.datasets.checks.decode_problem`), unlike the quick
build-time check of the paired datasets, and every problem is collected
rather than raised, so one run lists them all.
"""
import os
import os.path as osp
import time
from dataclasses import dataclass, field
from typing import Iterator, List, Optional, Sequence, Tuple, Union

from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmagic.registry import DATASETS
from mmderain.utils.renamed_configs import (RenamedConfigError, load_config,
                                            renamed_config)
from .base_rain_dataset import BaseRainDataset, is_image_file
from .checks import PairCheck, inspect_images, inspect_pairs
from .dataset_folders import dataset_folders

#: Dataset classes that read a folder in a known layout, tried in this order
#: by :func:`detect_dataset_type` (side-by-side folders need the type).
FOLDER_TYPES = ('Rain14000Dataset', 'InputTargetDataset', 'Rain1200Dataset',
                'SPADataset', 'Rain100Dataset', 'Rain800Dataset',
                'SideBySideRainDataset')
_SPA_LIST = 'real_test_1000.txt'


def detect_dataset_type(folder: str) -> str:
    """The dataset class that reads ``folder``, told by its layout.

    Rain14000 (``rainy_image/`` + ``ground_truth/``), ``input/`` +
    ``target/``, the DID-MDN training folders (``Rain_*/train2018new``),
    SPA-Data (``real_test_1000.txt``) and the Rain100 forms (a ``rainy/``
    or ``rain/`` + ``norain/`` sub-folder, or ``rain-*`` images) are
    recognised. Side-by-side folders (Rain800, DID-MDN-test) look like any
    folder of images: name their type.

    Args:
        folder (str): The dataset folder.

    Returns:
        str: A name of :data:`FOLDER_TYPES`.

    Raises:
        FileNotFoundError: ``folder`` does not exist.
        ValueError: The layout is none of the above.
    """
    if not osp.isdir(folder):
        raise FileNotFoundError(f'The dataset folder "{folder}" does not '
                                'exist.')

    def has_dirs(*names: str) -> bool:
        return all(osp.isdir(osp.join(folder, name)) for name in names)

    if has_dirs('rainy_image', 'ground_truth'):
        return 'Rain14000Dataset'
    if has_dirs('input', 'target'):
        return 'InputTargetDataset'
    if any(
            has_dirs(f'Rain_{density}/train2018new')
            for density in ('Heavy', 'Medium', 'Light')):
        return 'Rain1200Dataset'
    if osp.isfile(osp.join(folder, _SPA_LIST)):
        return 'SPADataset'
    if has_dirs('rainy') or has_dirs('rain', 'norain') or any(
            name.lower().startswith('rain-') and is_image_file(name)
            for name in os.listdir(folder)):
        return 'Rain100Dataset'
    raise ValueError(
        f'Cannot tell the layout of "{folder}": it is none of Rain14000 '
        '(rainy_image/ + ground_truth/), input/ + target/, DID-MDN '
        '(Rain_*/train2018new/), SPA-Data (real_test_1000.txt) or Rain100 '
        '(rain-N / norain-N). Give the dataset type, one of '
        f'{", ".join(FOLDER_TYPES)}.')


@dataclass
class DatasetCheck:
    """The full check of one dataset.

    Attributes:
        name (str): What the dataset is (its type and folder).
        used_by (list[str]): Where the config uses it (e.g.
            ``val_dataloader[2]``).
        check (PairCheck, optional): The outcome; None when the dataset was
            not checked.
        note (str): Why it was not checked, or an error building it.
        failed (bool): Whether the dataset could not be built.
    """

    name: str
    used_by: List[str] = field(default_factory=list)
    check: Optional[PairCheck] = None
    note: str = ''
    failed: bool = False


def _without_build_check(cfg):
    """A copy of a dataset config with the paired datasets' quick check
    off, wrapped datasets included: the full check collects every problem
    instead of stopping at the first dataset with one."""
    if isinstance(cfg, (list, tuple)):
        return [_without_build_check(item) for item in cfg]
    if not isinstance(cfg, dict):
        return cfg
    cfg = {key: _without_build_check(value) for key, value in cfg.items()}
    kind = cfg.get('type')
    cls = DATASETS.get(kind) if isinstance(kind, str) else kind
    if isinstance(cls, type) and issubclass(cls, BaseRainDataset):
        cfg['check_pairs'] = False
    return cfg


def _leaves(dataset) -> Iterator:
    """The datasets inside wrappers (``ConcatDataset``, ``RepeatDataset``,
    ``RandomSubsetDataset``, ...)."""
    if isinstance(dataset, BaseRainDataset):
        yield dataset
    elif hasattr(dataset, 'datasets'):
        for inner in dataset.datasets:
            yield from _leaves(inner)
    elif hasattr(dataset, 'dataset'):
        yield from _leaves(dataset.dataset)
    else:
        yield dataset


def _describe(dataset) -> str:
    root = getattr(dataset, 'data_root', '')
    name = type(dataset).__name__
    return f'{name} "{root}"' if root else name


def check_built_dataset(dataset) -> List[DatasetCheck]:
    """Decode every file of a built dataset (of each wrapped one).

    Paired datasets are checked pair by pair (decoded sizes included);
    other datasets file by file, for data-info entries ``*_path`` that name
    a file. A dataset with no such file (rendered or embedded images) gets
    a note instead.

    Args:
        dataset: A dataset object, maybe a wrapper.

    Returns:
        list[DatasetCheck]: One per leaf dataset, in order.
    """
    checks = []
    for leaf in _leaves(dataset):
        if hasattr(leaf, 'full_init'):
            leaf.full_init()
        infos = [leaf.get_data_info(i) for i in range(len(leaf))]
        result = DatasetCheck(_describe(leaf))
        if isinstance(leaf, BaseRainDataset):
            pairs = {
                (info['img_path'], info['gt_path']): info['key']
                for info in infos
            }
            result.check = inspect_pairs(
                ((key, *paths) for paths, key in pairs.items()), full=True)
        else:
            files = {
                value: info.get('key', value)
                for info in infos
                for name, value in info.items() if name.endswith('_path')
                and isinstance(value, str) and osp.isfile(value)
            }
            if files:
                result.check = inspect_images(
                    ((key, path) for path, key in files.items()), full=True)
            else:
                result.note = ('no image files to check (rendered or '
                               'embedded images)')
        checks.append(result)
    return checks


def check_folder(folder: str,
                 dataset_type: Optional[str] = None,
                 **kwargs) -> List[DatasetCheck]:
    """Decode every pair of a dataset folder.

    Args:
        folder (str): The dataset's ``data_root``.
        dataset_type (str, optional): Its class; by default told by the
            layout (:func:`detect_dataset_type`).
        **kwargs: More arguments of the dataset class (e.g.
            ``rainy_half``, ``id_range``).

    Returns:
        list[DatasetCheck]: The check of the dataset.
    """
    dataset_type = dataset_type or detect_dataset_type(folder)
    init_default_scope('mmagic')
    cfg = dict(type=dataset_type, data_root=folder, **kwargs)
    return _check_cfg(cfg, [])


def _check_cfg(cfg: dict, used_by: List[str]) -> List[DatasetCheck]:
    try:
        dataset = DATASETS.build(_without_build_check(cfg))
    except Exception as err:  # reported, not raised: the summary lists all
        return [
            DatasetCheck(
                str(cfg.get('type')),
                used_by,
                note=f'cannot be built: {type(err).__name__}: {err}',
                failed=True)
        ]
    checks = check_built_dataset(dataset)
    for result in checks:
        result.used_by = list(used_by)
    return checks


def config_dataloaders(cfg: Config) -> List[Tuple[str, dict]]:
    """The dataloaders of a config: ``train_dataloader``, the tasks of a
    sequence (``train_cfg.tasks[*].dataloader``), ``val_dataloader`` and
    ``test_dataloader`` (each a dataloader or a list of them).

    Returns:
        list[tuple[str, dict]]: ``(where, dataloader config)``.
    """
    loaders = []
    for split in ('train', 'val', 'test'):
        value = cfg.get(f'{split}_dataloader', None)
        if isinstance(value, dict):
            loaders.append((f'{split}_dataloader', value))
        elif isinstance(value, (list, tuple)):
            loaders += [(f'{split}_dataloader[{index}]', loader)
                        for index, loader in enumerate(value)]
        if split == 'train':
            train_cfg = cfg.get('train_cfg', None) or {}
            for index, task in enumerate(train_cfg.get('tasks', None) or []):
                if task.get('dataloader') is not None:
                    name = task.get('name', index)
                    loaders.append(
                        (f'train_cfg.tasks[{name}]', task['dataloader']))
    return loaders


def check_config(cfg: Union[str, Config]) -> List[DatasetCheck]:
    """Decode every file of the datasets a config's dataloaders build.

    A dataset used by several dataloaders is checked once. An optional
    evaluation set (``optional_name``) whose folder is missing is noted as
    left out, as the runner leaves it out; any other dataset that cannot
    be built is a failure.

    Args:
        cfg (str | Config): The config or its path. Relative data paths
            are relative to the working directory, as in training.

    Returns:
        list[DatasetCheck]: One per dataset.
    """
    if isinstance(cfg, str):
        cfg = load_config(cfg)
    init_default_scope(cfg.get('default_scope', 'mmagic'))
    users = {}
    for where, loader in config_dataloaders(cfg):
        dataset = loader.get('dataset')
        if not isinstance(dataset, dict):
            continue
        if hasattr(dataset, 'to_dict'):
            dataset = dataset.to_dict()
        entry = users.setdefault(repr(dataset), (dataset, [], []))
        entry[1].append(where)
        if loader.get('optional_name'):
            entry[2].append(loader['optional_name'])
    checks = []
    for dataset, used_by, optional in users.values():
        missing = [
            folder for folder in dataset_folders(dataset)
            if not osp.isdir(folder)
        ]
        if optional and missing:
            checks.append(
                DatasetCheck(
                    f'{dataset.get("type")} "{missing[0]}"',
                    used_by,
                    note=f'left out: the optional set "{optional[0]}" has no '
                    'data folder (the runner leaves it out too)'))
            continue
        checks += _check_cfg(dataset, used_by)
    return checks


def _count(check: PairCheck) -> str:
    unit = 'pairs' if check.paired else 'images'
    return f'{check.num_items} {unit}'


def format_summary(checks: Sequence[DatasetCheck],
                   seconds: Optional[float] = None) -> Tuple[str, bool]:
    """The text summary of full checks, and whether all passed.

    Args:
        checks (Sequence[DatasetCheck]): What :func:`check_folder` or
            :func:`check_config` returned (maybe several, concatenated).
        seconds (float, optional): Total time, for the last line.

    Returns:
        tuple[str, bool]: The summary and whether nothing is bad.
    """
    lines = []
    problems = []
    totals = [PairCheck(), PairCheck(paired=False)]
    failed = False
    for result in checks:
        where = f' ({", ".join(result.used_by)})' if result.used_by else ''
        check = result.check
        if check is None:
            lines.append(f'{result.name}{where}: {result.note}')
            failed = failed or result.failed
            continue
        lines.append(
            f'{result.name}{where}: {_count(check)}, '
            f'{check.num_files} files, {check.count("file")} bad files, '
            f'{check.count("size")} size mismatches, {check.seconds:.1f} s')
        problems += check.problems
        total = totals[0 if check.paired else 1]
        total.num_items += check.num_items
        total.num_files += check.num_files
        total.seconds += check.seconds
    for kind, title in (('file', 'Bad files'), ('size', 'Size mismatches')):
        found = [p for p in problems if p.kind == kind]
        if found:
            lines.append(f'{title} ({len(found)}):')
            lines += [f'  {problem}' for problem in found]
    failed = failed or bool(problems)
    if seconds is None:
        seconds = sum(total.seconds for total in totals)
    lines.append(f'{"FAILED" if failed else "OK"}: {_count(totals[0])} and '
                 f'{_count(totals[1])}, '
                 f'{sum(total.num_files for total in totals)} files decoded, '
                 f'{sum(p.kind == "file" for p in problems)} bad files, '
                 f'{sum(p.kind == "size" for p in problems)} size mismatches, '
                 f'{seconds:.1f} s.')
    return '\n'.join(lines), not failed


def run_check(sources: Sequence[str],
              dataset_type: Optional[str] = None,
              dataset_options: Optional[dict] = None,
              cfg_options: Optional[dict] = None) -> Tuple[str, bool]:
    """Fully check each source, a config file (``.py``) or a folder.

    Args:
        sources (Sequence[str]): Config files and dataset folders.
        dataset_type (str, optional): Dataset class of the folders (by
            default told by their layout).
        dataset_options (dict, optional): More arguments of the folders'
            dataset class.
        cfg_options (dict, optional): Overrides merged into the configs.

    Returns:
        tuple[str, bool]: The summary and whether nothing is bad.
    """
    start = time.perf_counter()
    checks = []
    for source in sources:
        if source.endswith('.py') and (osp.isfile(source)
                                       or renamed_config(source)):
            try:
                cfg = load_config(source)
            except RenamedConfigError as err:
                checks.append(DatasetCheck(source, note=str(err), failed=True))
                continue
            if cfg_options:
                cfg.merge_from_dict(cfg_options)
            checks += check_config(cfg)
            continue
        try:
            checks += check_folder(source, dataset_type,
                                   **(dataset_options or {}))
        except (OSError, ValueError) as err:
            checks.append(DatasetCheck(source, note=str(err), failed=True))
    return format_summary(checks, time.perf_counter() - start)
