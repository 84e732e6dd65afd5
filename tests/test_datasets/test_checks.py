"""The quick (structure/header) and full (decode) checks of image files and
pairs (mmderain.datasets.checks)."""
import cv2
import mmcv
import numpy as np
import pytest
from PIL import Image

from mmderain.datasets.checks import (decode_problem, header_size,
                                      inspect_images, inspect_pairs,
                                      quick_check)


def _image(height=20, width=24):
    # Smooth content, so the JPEG has a body well past its headers.
    y, x = np.mgrid[:height, :width]
    return np.dstack([x * 9, y * 11, (x + y) * 5]).astype(np.uint8)


def _write(path, image=None):
    assert cv2.imwrite(str(path), _image() if image is None else image)
    return str(path)


def _truncate(path, keep):
    data = open(path, 'rb').read()
    with open(path, 'wb') as file:
        file.write(data[:keep(len(data))])


@pytest.mark.parametrize('ext', ['.png', '.jpg', '.bmp', '.tif'])
def test_good_images_pass_both_checks(tmp_path, ext):
    path = _write(tmp_path / f'a{ext}')
    assert quick_check(path)[0] is None
    assert decode_problem(path) == (None, (20, 24))
    assert header_size(path) == (20, 24)


@pytest.mark.parametrize(
    'ext, keep, problem',
    [
        ('.png', lambda n: n // 2, 'truncated PNG'),
        # Only the IEND chunk is missing.
        ('.png', lambda n: n - 12, 'without an IEND chunk'),
        ('.png', lambda n: 20, 'truncated PNG'),
        ('.jpg', lambda n: n - 2, 'no end-of-image marker'),
        ('.jpg', lambda n: n * 2 // 3, 'no end-of-image marker'),
        ('.jpg', lambda n: 60, 'truncated JPEG')
    ])
def test_truncated_files_fail_the_quick_check(tmp_path, ext, keep, problem):
    # Noisy enough that the image data is most of the file.
    path = _write(
        tmp_path / f'a{ext}',
        np.random.default_rng(0).integers(0, 256, (64, 64, 3), np.uint8))
    _truncate(path, keep)
    assert problem in quick_check(path)[0]
    assert decode_problem(path)[0] is not None


def test_a_bad_header_crc_fails_the_quick_check(tmp_path):
    path = _write(tmp_path / 'a.png')
    data = bytearray(open(path, 'rb').read())
    data[20] ^= 0x01  # inside IHDR's width/height
    open(path, 'wb').write(bytes(data))
    assert 'CRC mismatch in its \'IHDR\' chunk' in quick_check(path)[0]


@pytest.mark.parametrize('content', [b'', b'not an image', b'\x89PNG'])
def test_non_images_with_an_image_name_fail(tmp_path, content):
    path = tmp_path / 'a.png'
    path.write_bytes(content)
    assert quick_check(str(path))[0] is not None
    assert decode_problem(str(path))[0] is not None


def test_the_format_is_told_by_content_not_name(tmp_path):
    path = tmp_path / 'actually_a_jpeg.png'
    assert cv2.imwrite(str(tmp_path / 'a.jpg'), _image())
    path.write_bytes((tmp_path / 'a.jpg').read_bytes())
    assert quick_check(str(path))[0] is None
    _truncate(str(path), lambda n: n - 2)
    assert 'JPEG' in quick_check(str(path))[0]


def test_corrupt_pixel_data_needs_the_full_decode(tmp_path):
    path = _write(
        tmp_path / 'a.png',
        np.random.default_rng(0).integers(0, 256, (64, 64, 3), np.uint8))
    data = bytearray(open(path, 'rb').read())
    idat = data.index(b'IDAT')
    data[idat + 40:idat + 80] = bytes(40)
    open(path, 'wb').write(bytes(data))
    # The quick check leaves IDAT's CRC unread; decoding finds the damage.
    assert quick_check(path)[0] is None
    problem, size = decode_problem(path)
    assert 'PIL cannot decode' in problem and size is None


def test_truncated_jpeg_that_opencv_fills_in_is_refused(tmp_path):
    path = _write(tmp_path / 'a.jpg', _image(64, 64))
    _truncate(path, lambda n: n * 2 // 3)
    # OpenCV, the training loader, returns an image for it (gray filled).
    assert cv2.imread(path) is not None
    assert 'PIL cannot decode' in decode_problem(path)[0]


@pytest.mark.parametrize('ext', ['.jpg', '.png'])
def test_header_size_follows_the_exif_orientation_like_the_loader(
        tmp_path, ext):
    path = tmp_path / f'rotated{ext}'
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    Image.fromarray(_image(20, 24)).save(path, exif=exif)
    loaded = mmcv.imfrombytes(path.read_bytes(), flag='color')
    assert header_size(str(path)) == loaded.shape[:2] == (24, 20)
    assert decode_problem(str(path)) == (None, (24, 20))


def test_pairs_of_different_sizes_name_both_files(tmp_path):
    rainy = _write(tmp_path / 'rain-1.png')
    clean = _write(tmp_path / 'norain-1.png', _image(18, 24))
    for full in (False, True):
        report = inspect_pairs([('rain-1', rainy, clean)], full=full)
        assert report.count('size') == 1 and not report.sizes
        message = str(report.problems[0])
        assert f'the rainy image "{rainy}" is 24x20' in message
        assert f'its clean image "{clean}" is 24x18' in message


def test_a_bad_file_is_reported_with_its_partner(tmp_path):
    rainy = _write(tmp_path / 'rain-1.png')
    clean = tmp_path / 'norain-1.png'
    clean.write_bytes(b'not an image')
    report = inspect_pairs([('rain-1', rainy, str(clean))])
    assert report.count('file') == 1 and report.count('size') == 0
    message = str(report.problems[0])
    assert f'rainy "{rainy}" / clean "{clean}"' in message
    assert f'"{clean}" is not a usable image' in message


def test_side_by_side_pairs_need_an_even_width(tmp_path):
    good = _write(tmp_path / 'good.png', _image(10, 24))
    odd = _write(tmp_path / 'odd.png', _image(10, 25))
    report = inspect_pairs([('good', good, good), ('odd', odd, odd)])
    assert report.sizes == {(good, good): (10, 12)}
    assert str(report.problems[0]) == (
        f'odd: side-by-side pair "{odd}": "{odd}" is 25 pixels wide; a '
        'side-by-side pair must have an even width')


def test_a_shared_clean_image_is_checked_once(tmp_path):
    clean = _write(tmp_path / '1.png')
    pairs = [(f'1_{t}', _write(tmp_path / f'1_{t}.png'), clean)
             for t in range(1, 4)]
    report = inspect_pairs(pairs)
    assert (report.num_items, report.num_files) == (3, 4)
    assert not report.problems and len(report.sizes) == 3


def test_unpaired_images_are_checked_one_by_one(tmp_path):
    good = _write(tmp_path / 'a.jpg')
    bad = tmp_path / 'b.jpg'
    bad.write_bytes(b'\xff\xd8\xff')
    report = inspect_images([('a', good), ('b', str(bad))], full=True)
    assert not report.paired and report.num_items == 2
    assert [str(p) for p in report.problems] == [
        f'b: "{bad}" is not a usable image: ' + decode_problem(str(bad))[0]
    ]


def test_a_progressive_jpeg_passes_with_its_size(tmp_path):
    path = tmp_path / 'progressive.jpg'
    Image.fromarray(_image(30, 40)).save(path, progressive=True)
    assert quick_check(str(path)) == (None, (30, 40))
    _truncate(str(path), lambda n: n - 2)
    assert 'no end-of-image marker' in quick_check(str(path))[0]


def test_header_size_of_a_bad_file_names_it(tmp_path):
    path = tmp_path / 'a.png'
    path.write_bytes(b'not an image')
    with pytest.raises(OSError, match=f'"{path}" is not a usable image'):
        header_size(str(path))
