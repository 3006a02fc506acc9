"""The `diagnose` command: thin wrappers over library functions that tests call directly."""
import json

import click

import bugs
from diagnose import __version__
from diagnose.catalog_view import catalog_dict, catalog_table


def json_option(f):
    """`--json`: print exactly one JSON document on stdout."""
    return click.option("--json", "as_json", is_flag=True, help="Print one JSON document instead of text.")(f)


def seed_option(f):
    """`--seed S`: every random choice is seeded."""
    return click.option("--seed", type=int, default=0, show_default=True, help="Seed for the probe data.")(f)


def emit_json(doc):
    """Print one JSON document on stdout."""
    click.echo(json.dumps(doc, indent=2))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="diagnose")
def main():
    """Find the bug in the backward pass of a 2-layer classifier, from behaviour alone."""


@main.command("list")
@json_option
def list_cmd(as_json):
    """The fault catalog: id, kind and title of every fault."""
    if as_json:
        emit_json(catalog_dict())
    else:
        click.echo(catalog_table())


@main.command()
@click.option("--bug", "bug_id", required=True, type=click.Choice(list(bugs.CATALOG)), help="Fault id.")
def show(bug_id):
    """A mutant's function with the faulty line marked, then its diff against the core."""
    click.echo(bugs.show(bugs.get(bug_id)), nl=False)


from diagnose.cli_drill import drill, stats  # noqa: E402  (interview drills, issue 6)

main.add_command(drill)
main.add_command(stats)
