from typing import Sequence, Tuple

from mmagic.datasets.transforms import Crop
from mmagic.registry import TRANSFORMS


@TRANSFORMS.register_module()
class PairedCenterCrop(Crop):
    """The same centre crop of images that must stay aligned (a rainy image
    and its clean image).

    mmagic's ``Crop(random_crop=False)`` centres the crop in each image on
    its own, so a rainy and a clean image of different sizes give crops of
    different places and are scored as if they were a pair. This transform
    crops exactly as that one does but first requires every key to have the
    same size; otherwise the error names each image's file and size.

    Required Keys:

    - [keys]
    - [key]_path (for the error message, when present)

    Modified Keys:

    - [keys]

    Added Keys:

    - [key]_crop_bbox, crop_size

    Args:
        crop_size (Tuple[int]): Size ``(h, w)`` of the crop; an image
            smaller than it keeps its size along that side.
        keys (Sequence[str]): The images to crop. Defaults to
            ``('img', 'gt')``.
    """

    def __init__(self,
                 crop_size: Tuple[int, int],
                 keys: Sequence[str] = ('img', 'gt')) -> None:
        super().__init__(
            keys=list(keys), crop_size=tuple(crop_size), random_crop=False)

    def transform(self, results: dict) -> dict:
        """Centre-crop every key, once their sizes are checked.

        Args:
            results (dict): Holds the images under ``keys``.

        Returns:
            dict: ``results`` with the crops.

        Raises:
            ValueError: The images differ in size.
        """
        shapes = [results[key].shape[:2] for key in self.keys]
        if len(set(shapes)) > 1:
            described = ', '.join(
                f'{key} "{results.get(f"{key}_path", key)}" is '
                f'{shape[1]}x{shape[0]}'
                for key, shape in zip(self.keys, shapes))
            raise ValueError(f'PairedCenterCrop: the images to crop alike '
                             f'differ in size: {described}.')
        return super().transform(results)

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(crop_size={self.crop_size}, '
                f'keys={self.keys})')
