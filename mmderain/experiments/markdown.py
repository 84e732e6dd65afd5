"""Generated blocks in Markdown files: tables are written by the tools that
make them, never typed."""
import re


def replace_marked_block(path: str, marker: str, text: str) -> None:
    """Replace what lies between the lines ``<!-- {marker}:start ... -->``
    and ``<!-- {marker}:end -->`` in a Markdown file with ``text``, so that
    tables in a README are generated, never typed.

    Raises:
        ValueError: When the file does not have exactly one pair of the
            markers, in that order.
    """
    with open(path, encoding='utf-8') as f:
        content = f.read()
    # Whole lines only, so that prose may quote the markers.
    start = re.compile(
        r'^<!-- ' + re.escape(marker) + r':start\b[^>]*-->\n', re.M)
    end = re.compile(r'^<!-- ' + re.escape(marker) + r':end -->$', re.M)
    starts, ends = list(start.finditer(content)), list(end.finditer(content))
    if len(starts) != 1 or len(ends) != 1 or \
            ends[0].start() < starts[0].end():
        raise ValueError(
            f'{path} must contain one "<!-- {marker}:start -->" line '
            f'followed by one "<!-- {marker}:end -->"; found '
            f'{len(starts)} start and {len(ends)} end markers.')
    content = (content[:starts[0].end()] + text.rstrip('\n') + '\n' +
               content[ends[0].start():])
    with open(path, 'w', encoding='utf-8') as f:
        f.write(content)
