"""The command line: parse arguments, call the library, turn its errors into messages and exit codes.

Exit codes: 0 success, 1 content errors, 2 usage errors.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic_core import PydanticCustomError

from hubsite import pipeline
from hubsite.content.fields import check_base_url
from hubsite.options import PARALLEL_FROM_ARTIFACTS, BuildOptions, cache_folder, display_path
from hubsite.problems import BuildFailed, HubsiteError, Problem, printable, summarize, template_problem

if TYPE_CHECKING:
    from hubsite.commands import links

# Commands other than build import what they need when they run: a build with nothing to do
# should not wait for the dev server, the link checker or the scaffolder to load.

COMMANDS = ("build", "check", "serve", "new", "geocode", "catalogues", "stale", "export", "import")
FORMATS = ("text", "github")


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date (YYYY-MM-DD)") from None


def parse_base_url(value: str) -> str:
    """The same rule as site.yaml's base_url (fields.check_base_url), and file:/// for a site opened from disk."""
    try:
        return check_base_url(value, from_disk=True)
    except PydanticCustomError as error:
        raise argparse.ArgumentTypeError(printable(error.message())) from None


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
    build.add_argument("--workers", type=positive, default=None, metavar="N", help=f"processes rendering pages (default: one per core when {PARALLEL_FROM_ARTIFACTS:,} pages or more, in every language, are to be made again, else 1)")
    check = commands.add_parser("check", help="validate the content and report every problem; write nothing")
    add_content_options(check)
    check.add_argument("--templates", type=Path, default=BuildOptions.templates_dir, metavar="DIR", help="templates folder whose catalogues to check, as build reads them (default: the bundled templates/)")
    check.add_argument("--links", action="store_true", help="also build into a temporary folder and check every internal link, anchor and asset")
    check.add_argument("--external", action="store_true", help="also fetch every external link of the content (sign-up, course, website, contact pages), politely, "
                       "and warn about dead ones where they are written (errors with --strict); answers are kept a day in .hubsite-cache/")
    check.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS", help="the whole time --external gives one link, redirects included (default: 10)")
    check.add_argument("--delay", type=float, default=1.0, metavar="SECONDS", help="pause of --external between two requests to one host (default: 1)")
    check.add_argument("--verbose", action="store_true", help="with --links, also list the external links")
    check.add_argument("--format", choices=FORMATS, default="text", help="how problems are printed: text (path:line:col: field: message), or github: "
                       "GitHub Actions workflow commands (annotations on the lines at fault) and, when $GITHUB_STEP_SUMMARY is set, a table in the job summary")
    serve = commands.add_parser("serve", help="build, serve on 127.0.0.1, rebuild on every change and reload open tabs")
    add_content_options(serve)
    serve.add_argument("--port", type=int, default=8000, metavar="N", help="port to listen on (default: 8000; 0 picks a free one)")
    serve.add_argument("--templates", type=Path, default=BuildOptions.templates_dir, metavar="DIR", help="templates folder to render with and watch (default: the bundled templates/)")
    new = commands.add_parser("new", help="write a commented starter record to fill in: new hub SLUG, new partner ID",
                              description="Write content/hubs/SLUG.yaml or content/partners/ID.yaml with every field listed and the required ones "
                              "empty; `check` then lists what is still missing. Never overwrites. Exit codes: 0 written, 1 the file exists, "
                              "2 a bad id or no content folder.")
    new.add_argument("kind", choices=("hub", "partner"), help="the kind of record")
    new.add_argument("id", metavar="ID", help="its id, which becomes the file name: lowercase letters, digits and single hyphens")
    new.add_argument("--content", type=Path, default=Path("content"), metavar="DIR", help="content folder to write into (default: content/)")
    geocode = commands.add_parser("geocode", help="look up the coordinates of hubs that have an address but no location (the only command that goes online)",
                                  description="Ask the geocoder in site.yaml (Nominatim by default) for each hub address that has neither a location "
                                  "nor an entry in content/geocache.yaml, at most one request per min_delay_seconds, and add what it finds to the "
                                  "cache, which builds read. Ambiguous or empty answers are reported, never guessed. Exit codes: 0 every hub has "
                                  "a location, 1 some still lack one, 2 usage errors.")
    geocode.add_argument("--content", type=Path, default=Path("content"), metavar="DIR", help="content folder to read, and whose geocache.yaml to update (default: content/)")
    geocode.add_argument("--today", type=parse_date, default=None, metavar="YYYY-MM-DD", help="the date recorded with each new cache entry (default: today)")
    geocode.add_argument("--dry-run", action="store_true", help="list the addresses that would be looked up; send nothing, write nothing")
    geocode.add_argument("--write", action="store_true", help="also add location: {lat, lon} after the address in each hub file the cache can place (the rest of the file is kept as it is)")
    catalogues = commands.add_parser("catalogues", help="extract the interface's words into templates/locale/messages.pot and update each language's .po",
                                     description="Collect every message of the templates and of the Python that writes words into "
                                     "locale/messages.pot, then add the new ones to each language's messages.pot (untranslated), mark changed ones "
                                     "fuzzy, and make a .po for each language of site.yaml that has none. Files change only when their messages do.")
    catalogues.add_argument("--content", type=Path, default=Path("content"), metavar="DIR", help="content folder whose site.yaml names the languages (default: content/)")
    catalogues.add_argument("--templates", type=Path, default=BuildOptions.templates_dir, metavar="DIR", help="templates folder (default: the bundled templates/)")
    stale = commands.add_parser("stale", help="list the hubs whose details were not confirmed in site.yaml's stale_after_days, by host; --out writes a message to each host",
                                description="List every hub (closed ones aside) whose last_verified is missing or older than stale_after_days, grouped by "
                                "host with the e-mail addresses its hubs give. With --out, write one plain-text message per host (HOST.txt) with the "
                                "hubs' current details and how to confirm or correct them, in every language of the site, the host's first. "
                                "Exit codes: 0 (1 with --strict when a hub is due), 1 content errors, 2 usage errors.")
    stale.add_argument("--content", type=Path, default=Path("content"), metavar="DIR", help="content folder to read (default: content/)")
    stale.add_argument("--today", type=parse_date, default=None, metavar="YYYY-MM-DD", help="the date to count from (default: today)")
    stale.add_argument("--out", type=Path, default=None, metavar="DIR", help="a new or empty folder to write one message per host into")
    stale.add_argument("--templates", type=Path, default=BuildOptions.templates_dir, metavar="DIR", help="templates folder whose catalogues give the messages' words (default: the bundled templates/)")
    stale.add_argument("--strict", action="store_true", help="exit 1 when any hub is due (for a scheduled workflow)")
    export = commands.add_parser("export", help="write every hub into a spreadsheet, FILE.csv or FILE.xlsx: one row per session",
                                 description="One row per session with the hub's fields on each of its rows (a hub without sessions: one row); "
                                 "nested fields as dotted columns (address.city), texts in several languages as one column per language "
                                 "(name.en, name.es), lists in one cell separated by commas, groups numbered (facilitators.1.name). Cells a "
                                 "spreadsheet would run as formulas start with a quote. Exit codes: 0 written, 1 content errors, 2 usage errors.")
    export.add_argument("file", type=Path, metavar="FILE", help="the spreadsheet to write: .csv (UTF-8, commas) or .xlsx")
    export.add_argument("--content", type=Path, default=Path("content"), metavar="DIR", help="content folder to read (default: content/)")
    imports = commands.add_parser("import", help="read a spreadsheet (FILE.csv or FILE.xlsx, as export writes it) into content/hubs/",
                                  description="Each hub's rows become content/hubs/SLUG.yaml, checked with the rest of the content as `check` "
                                  "checks it; every problem is told as FILE:ROW:COLUMN: column: message, and nothing is written while any "
                                  "row has an error. A file that holds the same record is left alone; one that holds another is replaced "
                                  "only with --update. Hubs the spreadsheet does not list are not touched. Comma-, semicolon- and "
                                  "tab-separated CSV are read alike. Exit codes: 0 imported, 1 problems (nothing written), 2 usage errors.")
    imports.add_argument("file", type=Path, metavar="FILE", help="the spreadsheet to read: .csv (UTF-8) or .xlsx")
    imports.add_argument("--content", type=Path, default=Path("content"), metavar="DIR", help="content folder to write into (default: content/)")
    imports.add_argument("--update", action="store_true", help="replace hub files that hold other details than their rows")
    imports.add_argument("--today", type=parse_date, default=None, metavar="YYYY-MM-DD", help="the date the records are checked for, as check's --today (default: today)")
    return parser


def options_from(args: argparse.Namespace) -> BuildOptions:
    return BuildOptions(
        content_dir=args.content,
        out_dir=getattr(args, "out", Path("site")),
        today=args.today or date.today(),
        base_url=getattr(args, "base_url", None),
        templates_dir=getattr(args, "templates", BuildOptions.templates_dir),
        strict=args.strict,
        workers=getattr(args, "workers", 1),
        cache_dir=cache_dir_for(args),
    )


def cache_dir_for(args: argparse.Namespace) -> Path | None:
    """`.hubsite-cache/` beside the output for build and serve (where the manifest lives too)."""
    if args.command not in ("build", "serve"):
        return None
    return cache_folder(getattr(args, "out", Path("site")))


def positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return int(text)


def say(*parts: object, sep: str = " ", file: object = None) -> None:
    """Print as `print` does, each line escaped (problems.printable): what the tool prints may quote
    content, and no content may start a line of its own in a terminal or a CI log."""
    text = sep.join(str(part) for part in parts)
    print("\n".join(printable(line) for line in text.split("\n")), file=file or sys.stdout)


def print_problems(problems: list[Problem], output_format: str = "text") -> None:
    """Each problem on a line of its own: `path:line:col: field: message` on stderr, or with
    `--format github` a workflow command on stdout, where GitHub Actions reads it."""
    if output_format == "github":
        from hubsite.commands.github import annotation

        for problem in problems:
            print(annotation(problem))
        return
    for problem in problems:
        say(problem, file=sys.stderr)


def write_step_summary(problems: list[Problem], verdict: str, output_format: str) -> None:
    """With `--format github` in a GitHub Actions job, the problems as a table in its summary."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if output_format != "github" or not target:
        return
    from hubsite.commands.github import step_summary

    with open(target, "a", encoding="utf-8") as summary:
        summary.write(step_summary(problems, verdict))


def new_record(kind: str, slug: str, content: Path) -> int:
    from hubsite.commands.new import create

    path = create(kind, slug, content)
    say(f"wrote {display_path(path)}: fill in the values marked required, then run: python build.py check")
    return 0


def geocode(content: Path, today: date, *, dry_run: bool, write: bool) -> int:
    from hubsite.commands.geocode import geocode_content  # the network side loads only for this command

    report = geocode_content(content, today, dry_run=dry_run, write=write)
    for line in report.lines():
        say(line)
    print_problems(report.problems)
    say(report.summary())
    return 1 if report.problems else 0


def update_catalogues(content: Path, templates: Path) -> int:
    from hubsite.commands.catalogues import update_catalogues as update

    content_found, problems = pipeline.validated(BuildOptions(content_dir=content, templates_dir=templates))
    if content_found is None:
        raise BuildFailed(problems)
    say(update(templates, content_found.site.site_languages).summary())
    return 0


def export(content: Path, file: Path) -> int:
    from hubsite.commands.spreadsheets import export_hubs

    found, problems = pipeline.validated(BuildOptions(content_dir=content))
    if found is None or any(problem.severity == "error" for problem in problems):
        raise BuildFailed(problems)
    rows = export_hubs(found, file)
    say(f"wrote {display_path(file)}: {len(found.hubs)} hubs in {rows} rows")
    return 0


def import_file(file: Path, content: Path, today: date, *, update: bool) -> int:
    from hubsite.commands.spreadsheets import import_hubs

    imported = import_hubs(file, content, today, update=update)
    print_problems(imported.warnings)
    if imported.warnings:
        say(summarize(imported.warnings, "warning"), file=sys.stderr)
    say(imported.summary(display_path(file)))
    return 0


def stale(content: Path, today: date, out: Path | None, templates: Path, *, strict: bool) -> int:
    from hubsite.commands import stale as due

    found, problems = pipeline.validated(BuildOptions(content_dir=content, templates_dir=templates))
    if found is None or any(problem.severity == "error" for problem in problems):
        raise BuildFailed(problems)
    hosts = due.hosts_due(found, today)
    for line in due.report_lines(hosts, today, found.site.stale_after_days):
        say(line)
    if out is not None:
        written = due.write_messages(hosts, found, templates, out)
        say(f"wrote {len(written)} {'message' if len(written) == 1 else 'messages'} into {display_path(out)}")
    return 1 if strict and hosts else 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv.insert(0, "build")
    args = make_parser().parse_args(argv)
    output_format = getattr(args, "format", "text")
    try:
        return run(args)
    except HubsiteError as error:
        return report_failure(error, "nothing was looked up" if args.command == "geocode" else "nothing was written", output_format)
    except Exception as error:
        problem = template_problem(error)
        if problem is None:
            raise
        say(problem, file=sys.stderr)
        say("the templates have an error; nothing was written", file=sys.stderr)
        return 1


def run(args: argparse.Namespace) -> int:
    if args.command == "new":
        return new_record(args.kind, args.id, args.content)
    if args.command == "catalogues":
        return update_catalogues(args.content, args.templates)
    if args.command == "geocode":
        return geocode(args.content, args.today or date.today(), dry_run=args.dry_run, write=args.write)
    if args.command == "export":
        return export(args.content, args.file)
    if args.command == "import":
        return import_file(args.file, args.content, args.today or date.today(), update=args.update)
    if args.command == "stale":
        return stale(args.content, args.today or date.today(), args.out, args.templates, strict=args.strict)
    options = options_from(args)
    if args.command == "serve":
        from hubsite.commands.serve import serve

        return serve(options, args.port)
    if getattr(args, "links", False):
        from hubsite.commands import links

        result, report = links.check_build(options)
    else:
        result, report = pipeline.check(options) if args.command == "check" else pipeline.build(options), None
    output_format = getattr(args, "format", "text")
    print_problems(result.warnings, output_format)
    if result.warnings:
        say(summarize(result.warnings, "warning"), file=sys.stderr)
    verdict = result.summary("checked" if args.command == "check" else "built")
    say(verdict)
    if result.coverage:
        say("interface translated:", *result.coverage, sep="\n  ")
    code = print_links(report, verbose=args.verbose, output_format=output_format) if report else 0
    found = list(result.warnings)
    if getattr(args, "external", False):
        external, problems = check_external(options, args.timeout, args.delay, output_format)
        code, found = max(code, external), found + problems
    write_step_summary(found, verdict, output_format)
    return code


def check_external(options: BuildOptions, timeout: float, delay: float, output_format: str = "text") -> tuple[int, list[Problem]]:
    """`check --external`: dead links as warnings (errors with --strict) at their fields, then a summary."""
    from hubsite.commands.external import check_external as fetch_all  # the network side loads only for this

    content, _ = pipeline.validated(options)
    assert content is not None  # check has passed
    report = fetch_all(content, options, cache_folder(Path("site")), timeout=timeout, delay=delay)
    print_problems(report.problems, output_format)
    say(report.summary())
    return (1 if any(problem.severity == "error" for problem in report.problems) else 0), report.problems


def report_failure(error: HubsiteError, consequence: str, output_format: str = "text") -> int:
    """Content problems one per line and their count; any other refusal as one `error:` line."""
    if isinstance(error, BuildFailed):
        print_problems(error.problems, output_format)
        verdict = f"{summarize(error.problems)}; {consequence}"
        say(verdict, file=sys.stderr)
        write_step_summary(error.problems, verdict, output_format)
    else:
        say(f"error: {error}", file=sys.stderr)
    return error.exit_code


def print_links(report: links.LinkReport, *, verbose: bool, output_format: str = "text") -> int:
    """Broken links on stderr (exit 1), then with --verbose the external links (--external fetches them).
    With `--format github` each is also an error annotation: a page of the built site, not a file
    of the repository, so it names no file."""
    for broken in report.broken:
        say(broken, file=sys.stderr)
    if output_format == "github":
        from hubsite.commands.github import unplaced_annotation

        for broken in report.broken:
            print(unplaced_annotation("error", "broken link", str(broken)))
    say(report.summary())
    for url in report.external if verbose else ():
        say(f"  {url}")
    return 1 if report.broken else 0
