"""Side-by-side comparison figures, as in the papers' qualitative results.

One row of panels per input image: the rainy input, each method's output
and the ground truth when there is one, all the same size, with a box
drawn on each; under it a row of the boxed region enlarged (nearest
neighbour, so no smoothing hides or invents detail). The methods' names
head the columns; with a ground truth, each output is captioned with its
PSNR on the Y channel (mmagic's ``psnr``, as the results tables).

Images are uint8 BGR arrays, as ``mmcv.imread`` returns them.
"""
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple, Union

import cv2
import numpy as np

from mmagic.evaluation.metrics.psnr import psnr

Box = Tuple[int, int, int, int]  # x, y, width, height in image pixels

BOX_COLOR = (0, 0, 255)  # red, in BGR
BACKGROUND = 255
TEXT_COLOR = (0, 0, 0)
FONT = cv2.FONT_HERSHEY_SIMPLEX


def parse_box(text: str) -> Box:
    """Read ``'x,y,w,h'`` (pixels of the input image) into a box.

    Raises:
        ValueError: Not four positive integers (x and y may be 0).
    """
    try:
        values = tuple(int(v) for v in text.split(','))
    except ValueError:
        values = ()
    if len(values) != 4 or min(values) < 0 or min(values[2:]) < 1:
        raise ValueError(f'--box must be x,y,width,height in pixels (x and '
                         f'y >= 0, width and height >= 1), got {text!r}.')
    return values


def auto_box(rainy: np.ndarray,
             derained: np.ndarray,
             fraction: float = 0.25) -> Box:
    """The square region where ``derained`` changed ``rainy`` the most.

    The most changed region is where the rain was, so it shows what each
    method did with it.

    Args:
        rainy (np.ndarray): The input image.
        derained (np.ndarray): An output of the same size.
        fraction (float): Side of the square as a fraction of the image's
            shorter side. Default: 0.25.

    Returns:
        tuple: ``(x, y, side, side)``.
    """
    height, width = rainy.shape[:2]
    side = max(1, int(min(height, width) * fraction))
    change = np.abs(rainy.astype(np.float32) - derained).mean(axis=2)
    # Mean change of the square whose top-left corner is each pixel.
    window = cv2.boxFilter(change,
                           -1, (side, side),
                           anchor=(0, 0),
                           borderType=cv2.BORDER_CONSTANT)
    window = window[:height - side + 1, :width - side + 1]
    y, x = np.unravel_index(int(np.argmax(window)), window.shape)
    return int(x), int(y), side, side


def _check_box(box: Box, height: int, width: int, name: str) -> None:
    x, y, w, h = box
    if x + w > width or y + h > height:
        raise ValueError(f'--box {x},{y},{w},{h} does not fit in {name} '
                         f'({width}x{height} pixels).')


def _resize(img: np.ndarray, width: int, nearest: bool = False) -> np.ndarray:
    height = max(1, round(img.shape[0] * width / img.shape[1]))
    interpolation = cv2.INTER_NEAREST if nearest else cv2.INTER_AREA
    return cv2.resize(img, (width, height), interpolation=interpolation)


def _text_strip(texts: Sequence[str], widths: Sequence[int], gap: int,
                scale: float) -> np.ndarray:
    """One row of centred captions over columns of the given widths."""
    (_, text_h), baseline = cv2.getTextSize('Ag', FONT, scale, 1)
    height = text_h + baseline + 8
    strip = np.full((height, sum(widths) + gap * (len(widths) - 1), 3),
                    BACKGROUND, np.uint8)
    left = 0
    for text, width in zip(texts, widths):
        # Shrink a caption that is wider than its column.
        fit = scale
        while fit > 0.2 and cv2.getTextSize(text, FONT, fit, 1)[0][0] > width:
            fit *= 0.9
        text_w = cv2.getTextSize(text, FONT, fit, 1)[0][0]
        cv2.putText(strip, text,
                    (left + max(0,
                                (width - text_w) // 2), height - baseline - 4),
                    FONT, fit, TEXT_COLOR, 1, cv2.LINE_AA)
        left += width + gap
    return strip


def _hstack(panels: Sequence[np.ndarray], gap: int) -> np.ndarray:
    height = max(p.shape[0] for p in panels)
    parts = []
    for index, panel in enumerate(panels):
        if index:
            parts.append(np.full((height, gap, 3), BACKGROUND, np.uint8))
        pad = height - panel.shape[0]
        parts.append(
            np.pad(panel, ((0, pad), (0, 0), (0, 0)),
                   constant_values=BACKGROUND))
    return np.concatenate(parts, axis=1)


def _vstack(rows: Sequence[np.ndarray], gap: int) -> np.ndarray:
    width = max(r.shape[1] for r in rows)
    parts = []
    for index, row in enumerate(rows):
        if index:
            parts.append(np.full((gap, width, 3), BACKGROUND, np.uint8))
        parts.append(
            np.pad(row, ((0, 0), (0, width - row.shape[1]), (0, 0)),
                   constant_values=BACKGROUND))
    return np.concatenate(parts, axis=0)


def render_grid(rows: Sequence[Dict[str, np.ndarray]],
                boxes: Sequence[Box],
                gt_label: Optional[str] = None,
                panel_width: int = 320,
                gap: int = 6,
                font_scale: float = 0.6) -> np.ndarray:
    """Draw the comparison figure.

    Args:
        rows (Sequence[dict]): One dict per input image: column label ->
            image, in column order; all images of a row the same size.
            Every row has the same labels.
        boxes (Sequence[tuple]): The zoomed region of each row,
            ``(x, y, w, h)`` in the row's image pixels.
        gt_label (str, optional): The label of the ground-truth column;
            the other columns are then captioned with their PSNR (Y) to it.
        panel_width (int): Width of every panel in pixels. Default: 320.
        gap (int): White space between panels. Default: 6.
        font_scale (float): OpenCV font scale of the labels. Default: 0.6.

    Returns:
        np.ndarray: The figure, uint8 BGR.
    """
    if not rows:
        raise ValueError('render_grid needs at least one row.')
    labels = list(rows[0])
    widths = [panel_width] * len(labels)
    thickness = max(1, panel_width // 160)
    blocks = [_text_strip(labels, widths, gap, font_scale)]
    for row, box in zip(rows, boxes):
        if list(row) != labels:
            raise ValueError(f'Every row needs the columns {labels}, got '
                             f'{list(row)}.')
        x, y, w, h = box
        full, zoom, captions = [], [], []
        for label, img in row.items():
            _check_box(box, *img.shape[:2], label)
            scale = panel_width / img.shape[1]
            panel = _resize(img, panel_width)
            top_left = (int(x * scale), int(y * scale))
            bottom_right = (int((x + w) * scale) - 1, int((y + h) * scale) - 1)
            cv2.rectangle(panel, top_left, bottom_right, BOX_COLOR, thickness)
            full.append(panel)
            zoom.append(
                _resize(img[y:y + h, x:x + w], panel_width, nearest=True))
            if gt_label is not None and label != gt_label:
                value = psnr(img,
                             row[gt_label],
                             convert_to='Y',
                             channel_order='bgr')
                captions.append(f'PSNR (Y) {value:.2f} dB')
            elif gt_label is not None:
                captions.append('')
        blocks.append(_hstack(full, gap))
        blocks.append(_hstack(zoom, gap))
        if captions:
            blocks.append(_text_strip(captions, widths, gap, font_scale))
    return _vstack(blocks, gap)


def match_by_name(paths: Sequence[str], source: str, what: str) -> List[str]:
    """The file of ``source`` that belongs to each input.

    Args:
        paths (Sequence[str]): The input files.
        source (str): A folder holding files of the inputs' names, or a
            path template with ``{name}`` (the input's file name),
            ``{stem}`` (the name without extension) or ``{dir}`` (the
            input's folder), e.g. ``'data/RainTrainL/no{name}'`` for
            ``rain-1.png`` -> ``norain-1.png``; ``'{dir}/no{name}'`` pairs
            inputs from several datasets of that layout at once.
        what (str): What the files are, for the error message.

    Raises:
        FileNotFoundError: One is missing; the message names it.
    """
    if '{' not in source:
        source = osp.join(source, '{name}')
    matched = [
        source.format(name=osp.basename(p),
                      stem=osp.splitext(osp.basename(p))[0],
                      dir=osp.dirname(p)) for p in paths
    ]
    missing = [m for m in matched if not osp.isfile(m)]
    if missing:
        raise FileNotFoundError(f'{what}: {", ".join(missing)} not found.')
    return matched


def center_crop(img: np.ndarray, size: int) -> np.ndarray:
    """The central ``size`` x ``size`` region of ``img``.

    Large frames (a 1080p video's) shrink to a few pixels per streak in a
    panel; their centre shows the rain at its own scale. A side shorter than
    ``size`` is kept whole, as the evaluation's ``PairedCenterCrop`` does,
    so one size serves video frames and small benchmark images alike.

    Raises:
        ValueError: ``size`` is below 1.
    """
    if size < 1:
        raise ValueError(f'--center-crop must be at least 1, got {size}.')
    height, width = img.shape[:2]
    top, left = max(0, height - size) // 2, max(0, width - size) // 2
    return img[top:top + size, left:left + size]


def read_cropped(path: str, crop: Optional[int] = None) -> np.ndarray:
    """Read an image (BGR) and, with ``crop``, cut its centre (see
    :func:`center_crop`)."""
    from mmderain.apis import read_image

    img = read_image(path)
    return img if crop is None else center_crop(img, crop)


def parse_method(spec: str) -> Tuple[str, Union[str, Tuple[str, str]]]:
    """Read a ``--method`` option.

    ``LABEL=FOLDER`` names a folder of outputs already de-rained (matched
    to the inputs by file name); ``LABEL=CONFIG,CHECKPOINT`` a model to run.

    Returns:
        tuple: The label and the folder or ``(config, checkpoint)``.

    Raises:
        ValueError: The option has no label, or names missing files.
    """
    label, sep, source = spec.partition('=')
    if not sep or not label or not source:
        raise ValueError(f'--method must be LABEL=FOLDER or '
                         f'LABEL=CONFIG,CHECKPOINT, got {spec!r}.')
    if ',' in source:
        config, checkpoint = source.split(',', 1)
        for path in (config, checkpoint):
            if not osp.isfile(path):
                raise ValueError(f'--method {label}: {path} does not exist.')
        return label, (config, checkpoint)
    if not osp.isdir(source):
        raise ValueError(f'--method {label}: the folder {source} does not '
                         'exist (for a model, give CONFIG,CHECKPOINT).')
    return label, source


def compare_grid(inputs: Sequence[str],
                 methods: Sequence[Tuple[str, Union[str, Tuple[str, str]]]],
                 gt_dir: Optional[str] = None,
                 box: Optional[Box] = None,
                 input_label: str = 'Rainy input',
                 gt_label: str = 'Ground truth',
                 device: Optional[str] = None,
                 crop: Optional[int] = None,
                 **render_kwargs) -> np.ndarray:
    """Read or compute every panel and draw the comparison figure.

    Args:
        inputs (Sequence[str]): Rainy image files, one row each.
        methods (Sequence[tuple]): ``(label, source)`` pairs as returned by
            :func:`parse_method`, in column order.
        gt_dir (str, optional): Folder of ground truths, matched by file
            name, or a template (see :func:`match_by_name`). Default: None.
        box (tuple, optional): ``(x, y, w, h)`` of the zoomed region, the
            same for every row; None picks, per row, the square the first
            method changed most (:func:`auto_box`). Default: None.
        input_label (str): Label of the input column.
        gt_label (str): Label of the ground-truth column.
        device (str, optional): Device for models; None picks CUDA when
            available.
        crop (int, optional): Side of the central square (see
            :func:`center_crop`) cut from every input, folder output and
            ground truth before the models run on it; None keeps the whole
            images. Default: None.
        **render_kwargs: Passed to :func:`render_grid` (``panel_width``,
            ``gap``, ``font_scale``).

    Returns:
        np.ndarray: The figure, uint8 BGR.
    """
    from mmderain.apis import derain_image, init_model

    if not methods:
        raise ValueError('Give at least one --method to compare.')
    labels = [input_label] + [label for label, _ in methods]
    if gt_dir is not None:
        labels.append(gt_label)
    if len(set(labels)) != len(labels):
        raise ValueError(f'Column labels must differ, got {labels}.')

    rows = [{input_label: read_cropped(path, crop)} for path in inputs]
    for label, source in methods:
        if isinstance(source, str):
            for row, path in zip(rows, match_by_name(inputs, source, label)):
                row[label] = read_cropped(path, crop)
        else:
            model = init_model(*source, device=device)
            for row in rows:
                row[label] = derain_image(model, row[input_label])
            del model
    if gt_dir is not None:
        for row, path in zip(rows, match_by_name(inputs, gt_dir, gt_label)):
            row[gt_label] = read_cropped(path, crop)
    for row, path in zip(rows, inputs):
        sizes = {label: img.shape[:2] for label, img in row.items()}
        if len(set(sizes.values())) > 1:
            raise ValueError(f'The panels of {osp.basename(path)} differ in '
                             f'size (height, width): {sizes}.')
    boxes = [
        box if box is not None else auto_box(row[input_label], row[labels[1]])
        for row in rows
    ]
    return render_grid(rows,
                       boxes,
                       gt_label=gt_label if gt_dir is not None else None,
                       **render_kwargs)
