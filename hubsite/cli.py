"""The command line: parse arguments, call the library, turn its errors into messages and exit codes.

Exit codes: 0 success, 1 content errors, 2 usage errors.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from hubsite import pipeline
from hubsite.config import BuildOptions
from hubsite.errors import BuildFailed, Problem, summarize
from hubsite.output import OutputError

COMMANDS = ("build", "check")


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date (YYYY-MM-DD)") from None


def parse_base_url(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise argparse.ArgumentTypeError(f"'{value}' is not an http(s) URL")
    return value if value.endswith("/") else value + "/"


def add_content_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"), metavar="DIR", help="content folder to read (default: content/)")
    parser.add_argument("--today", type=parse_date, default=None, metavar="YYYY-MM-DD", help="the date the site is built for: next meetings, stale notices, feed dates (default: today)")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description="Build the learning hubs directory site from content/.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    build = commands.add_parser("build", help="validate the content and write the site (the default command)")
    add_content_options(build)
    build.add_argument("--out", type=Path, default=Path("site"), metavar="DIR", help="folder to write the site to (default: site/)")
    build.add_argument("--base-url", type=parse_base_url, default=None, metavar="URL", help="override site.yaml's base_url, e.g. https://org.github.io/hubs/")
    build.add_argument("--templates", type=Path, default=BuildOptions.templates_dir, metavar="DIR", help="templates folder to render with (default: the bundled templates/)")
    check = commands.add_parser("check", help="validate the content and report every problem; write nothing")
    add_content_options(check)
    return parser


def options_from(args: argparse.Namespace) -> BuildOptions:
    return BuildOptions(
        content_dir=args.content,
        out_dir=getattr(args, "out", Path("site")),
        today=args.today or date.today(),
        base_url=getattr(args, "base_url", None),
        templates_dir=getattr(args, "templates", BuildOptions.templates_dir),
        strict=args.strict,
    )


def print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv.insert(0, "build")
    args = make_parser().parse_args(argv)
    options = options_from(args)
    try:
        result = pipeline.check(options) if args.command == "check" else pipeline.build(options)
    except BuildFailed as failed:
        print_problems(failed.problems)
        print(summarize(failed.problems) + "; nothing was written", file=sys.stderr)
        return 1
    except OutputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print_problems(result.warnings)
    if result.warnings:
        print(summarize(result.warnings, "warning"), file=sys.stderr)
    print(result.summary("checked" if args.command == "check" else "built"))
    return 0
