"""The data folders a dataset config reads."""
from typing import List

# Dataset arguments that name a folder the dataset reads. 'embedded' names
# none: RenderedRainDataset (clean_source) and TTLImageDataset (data_root)
# then read the photos inside installed packages, always present.
_FOLDER_KEYS = ('data_root', 'clean_source')
_NOT_FOLDERS = ('embedded', )


def dataset_folders(dataset: dict) -> List[str]:
    """The data folders a dataset config reads, wrapped datasets included.

    Args:
        dataset (dict): A dataset config; wrappers (``ConcatDataset``,
            ``RepeatDataset``, ``RandomSubsetDataset``, ...) are searched
            through their ``dataset`` / ``datasets`` arguments.

    Returns:
        list[str]: The folders, as written in the config (relative paths
        are relative to the working directory, as for the datasets).
    """
    folders = []
    for key in _FOLDER_KEYS:
        folder = dataset.get(key)
        if isinstance(folder, str) and folder and folder not in _NOT_FOLDERS:
            folders.append(folder)
    inner = dataset.get('dataset')
    wrapped = [inner] if isinstance(inner, dict) else []
    wrapped += [d for d in dataset.get('datasets', None) or []
                if isinstance(d, dict)]
    for sub in wrapped:
        folders += dataset_folders(sub)
    return folders
