"""How the cost of rendering Markdown grows on inputs that trouble a backtracking parser.

    .venv/bin/python bench/markdown_render.py [--sizes 10000 20000] [--runs 3] [--old]

Each input is made at two sizes (characters, within the Markdown cap of
``infrastructure.rich_text``) and rendered ``--runs`` times; the table gives the
fastest CPU time of the parser (markdown-it-py), of the sanitiser (nh3) and of
``render_rich_text`` as a whole, and the ratio of the larger size's total to
the smaller's. With sizes a factor 2 apart a ratio near 2 is linear growth,
near 4 quadratic. The last lines render 1 MB inputs, over the cap: only their
first part goes through the parser, the rest is escaped as text.

``--old`` adds Python-Markdown, the renderer before markdown-it-py, when it
is installed; keep the sizes small with it (``--sizes 2000 4000``): 10,000
``[`` took it 18 s. Where it gives up with a RecursionError the row says so.
"""

import argparse
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Each makes about n characters.
INPUTS = {
    "brackets [": lambda n: "[" * n,
    "link openers [a](": lambda n: "[a](" * (n // 4),
    "image openers ![": lambda n: "![" * (n // 2),
    "nested links": lambda n: "[" * (n // 5) + "a" + "](b)" * (n // 5),
    "emphasis runs *a_": lambda n: "*a_" * (n // 3),
    "strong and emphasis": lambda n: "*a **a " * (n // 7),
    "star run a***": lambda n: "a" + "*" * n,
    "backticks `a": lambda n: "`a" * (n // 2),
    "angle brackets <": lambda n: "<" * n,
    "entities &#": lambda n: "&#" * (n // 2),
    "deep quote >>>": lambda n: ">" * n + " deep",
    "deep list - - -": lambda n: "- " * (n // 2) + "deep",
    "deep raw HTML <ul>": lambda n: "<ul>" * (n // 4),
    "ordinary text": lambda n: "Lorem *ipsum* dolor [sit](https://example.org) amet. " * (n // 53),
}
MEGABYTE_INPUTS = {
    "1 MB of letters": "x" * 1_000_000,
    "1 MB of [": "[" * 1_000_000,
    "1 MB of ![": "![" * 500_000,
    "1 MB of paragraphs": "Lorem *ipsum* dolor [sit](https://example.org) amet.\n\n" * 19_000,
}


def _fastest(function, text, runs):
    """The least CPU time, in ms, of ``runs`` calls (steadier than the clock on a busy machine)."""
    timings = []
    for _ in range(runs):
        started = time.process_time()
        function(text)
        timings.append((time.process_time() - started) * 1000)
    return min(timings)


def _renderers():
    import nh3

    from infrastructure import rich_text

    def sanitise(html):
        return nh3.clean(
            html,
            tags=rich_text.ALLOWED_TAGS,
            attributes=rich_text.ALLOWED_ATTRIBUTES,
            url_schemes=rich_text.ALLOWED_URL_SCHEMES,
        )

    return rich_text.MARKDOWN.render, sanitise, rich_text.render_rich_text


def _old_renderer():
    try:
        import markdown
    except ImportError:
        raise SystemExit("--old needs Python-Markdown, which is not installed.") from None
    return lambda text: markdown.markdown(text, extensions=["sane_lists"])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[10_000, 20_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--old", action="store_true", help="Time Python-Markdown too.")
    options = parser.parse_args(argv)
    sys.path.insert(0, str(PROJECT_ROOT))
    from infrastructure.rich_text import MARKDOWN_MAX_LENGTH

    small, large = options.sizes
    if large > MARKDOWN_MAX_LENGTH:
        raise SystemExit(f"Sizes above the cap ({MARKDOWN_MAX_LENGTH:,}) are not parsed whole.")
    parse, sanitise, render = _renderers()
    old = _old_renderer() if options.old else None

    print(f"CPU ms, fastest of {options.runs}; ratio = total at {large:,} / total at {small:,}.")
    header = f"{'input':<22} " + " ".join(
        f"{'parse':>7} {'nh3':>7} {'total':>7}" for _ in (small, large)
    )
    header += f" {'ratio':>6}" + (f" {'old':>9} {'old':>9} {'ratio':>6}" if old else "")
    print(f"{'':<22} {f'{small:,} characters':^23} {f'{large:,} characters':^23}")
    print(header)
    print("-" * len(header))
    for name, make in INPUTS.items():
        cells, totals, old_times = [], [], []
        for size in (small, large):
            text = make(size)
            html = parse(text)
            cells += [_fastest(parse, text, options.runs), _fastest(sanitise, html, options.runs)]
            totals.append(_fastest(render, text, options.runs))
            cells.append(totals[-1])
            if old:
                try:
                    old_times.append(_fastest(old, text, 1))
                except RecursionError:
                    old_times.append(None)
        line = f"{name:<22} " + " ".join(f"{cell:>7.1f}" for cell in cells)
        line += f" {totals[1] / max(totals[0], 0.001):>6.2f}"
        if old and None in old_times:
            line += f" {'RecursionError':>26}"
        elif old:
            ratio = old_times[1] / max(old_times[0], 0.001)
            line += f" {old_times[0]:>9.1f} {old_times[1]:>9.1f} {ratio:>6.2f}"
        print(line)
    print()
    for name, text in MEGABYTE_INPUTS.items():
        print(f"{name:<22} total {_fastest(render, text, options.runs):>7.1f}")


if __name__ == "__main__":
    main()
