"""Where a one-process ``geokg build`` spends its CPU: spaCy's pipeline against the rest.

Usage (from the repository root)::

    .venv/bin/python bench/profile_build.py INPUT.jsonl --out /tmp/p/out --stats /tmp/p/build.prof

Runs :func:`geokg.pipeline.build` with ``BuildOptions(release_model=False, progress=False)`` (the
parser in this process; the model is loaded before timing) and prints the process CPU seconds of
the build and the CPU seconds spent inside ``Language.pipe`` (the tokenizer and every pipeline
component: spaCy's share), measured with ``time.process_time`` around each document it yields.
Everything else is geokg's share: cleaning, cutting, extraction (including its own use of spaCy
objects: Token and Doc access, the Matcher and DependencyMatcher), resolution, dating, the
checkpoint, the graph and the exports.

cProfile runs outside ``Language.pipe`` only (it is switched off while spaCy parses, whose
Cython code is compiled with profiling hooks and would dominate the profile), so its listing is
of geokg's share: the top functions by own time. ``--no-profile`` measures the split without the
profiler (its CPU seconds are the ones to compare between two trees).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

Func = tuple[str, int, str]


def _is_builtin(func: Func) -> bool:
    return func[0] == "~"


def _label(func: Func) -> str:
    path, line, name = func
    if _is_builtin(func):
        return name
    short = path
    for marker in ("/geokg/", "/site-packages/", "/lib/python3"):
        if marker in path:
            short = path[path.index(marker) + 1 :]
            break
    return f"{short}:{line}({name})"


def top_functions(stats: pstats.Stats, top: int = 25) -> str:
    """The top functions of a profile by own time, with their share of it."""
    raw: dict[Func, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(v[2] for v in raw.values())
    lines = [
        f"profiled (outside Language.pipe, with the profiler's overhead): {total:.2f} s",
        f"top {top} functions by own time:",
        f"{'own s':>8} {'%':>6} {'cum s':>8} {'calls':>10}  function",
    ]
    for func, (_, calls, tt, ct, _) in sorted(raw.items(), key=lambda kv: -kv[1][2])[:top]:
        lines.append(f"{tt:8.2f} {100 * tt / total:6.1f} {ct:8.2f} {calls:10d}  {_label(func)}")
    return "\n".join(lines)


class PipeTimer:
    """Wraps ``Language.pipe``: CPU seconds inside it, profiler off while inside."""

    def __init__(self, prof: cProfile.Profile | None) -> None:
        self.prof = prof
        self.inside = 0.0
        self.depth = 0

    def install(self) -> None:
        from spacy.language import Language

        orig = Language.pipe
        timer = self

        def pipe(nlp: Any, *args: Any, **kwargs: Any) -> Any:
            if timer.depth:  # as_tuples=True calls pipe again: time the outer one only
                return orig(nlp, *args, **kwargs)
            return timer.wrap(orig(nlp, *args, **kwargs))

        Language.pipe = pipe  # type: ignore[method-assign]

    def wrap(self, it: Any) -> Any:
        while True:
            self.depth += 1
            if self.prof is not None:
                self.prof.disable()
            t0 = time.process_time()
            try:
                item = next(it)
            except StopIteration:
                return
            finally:
                self.inside += time.process_time() - t0
                if self.prof is not None:
                    self.prof.enable()
                self.depth -= 1
            yield item


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("inputs", nargs="+", help="files or folders to build")
    ap.add_argument("--out", required=True, type=Path, help="output folder")
    ap.add_argument("--stats", type=Path, help="write the cProfile stats here")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--no-profile", action="store_true", help="the CPU split alone, no cProfile")
    args = ap.parse_args(argv)

    from geokg.nlp import load_model
    from geokg.options import BuildOptions
    from geokg.parse import UNUSED_COMPONENTS
    from geokg.pipeline import build

    load_model(None, exclude=UNUSED_COMPONENTS)  # loaded before timing, as bench/run.py's raw
    options = BuildOptions(release_model=False, progress=False)
    prof = None if args.no_profile else cProfile.Profile()
    timer = PipeTimer(prof)
    timer.install()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    if prof is not None:
        prof.enable()
    build(args.inputs, args.out, options=options, echo=lambda _: None)
    if prof is not None:
        prof.disable()
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    rest = cpu - timer.inside
    print(f"build: {cpu:.2f} CPU s, {wall:.2f} wall s{' (profiled)' if prof else ''}")
    print(f"  inside Language.pipe: {timer.inside:.2f} CPU s ({100 * timer.inside / cpu:.1f} %)")
    print(f"  the rest (geokg):     {rest:.2f} CPU s ({100 * rest / cpu:.1f} %)")
    if prof is not None:
        if args.stats:
            prof.dump_stats(str(args.stats))
        print(top_functions(pstats.Stats(prof), args.top))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
