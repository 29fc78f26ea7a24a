"""Option groups shared by commands; each option maps 1:1 to a keyword argument.

``--config FILE`` reads a TOML file whose keys are option names (with
underscores or dashes) and whose ``[map.KIND]`` tables give explicit column
mappings; options given on the command line win over the file.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from click.core import ParameterSource

from netcluster.analyze import ANALYSIS_STAGES, AnalysisResult, analyze
from netcluster.home import parse_home
from netcluster.loaders import LoadReport
from netcluster.loaders.build import KINDS, build_network
from netcluster.neighbourhood import restrict_to_neighbourhood
from netcluster.network import CollaborationNetwork
from netcluster.projection import COUNTING, OVERSIZED
from netcluster.sample_graphs import get_sample, list_samples
from netcluster.sql.aggregate import network_from_aggregate

from ._messages import detail, info
from ._progress import stages

__all__ = [
    "config_option", "record_options", "build_options", "analysis_options", "memory_budget_option",
    "network_from_options", "parse_map",
    "analysis_from_options", "home_options", "home_from_options", "suggestion_options", "suggestion_keywords",
    "outcome_options",
]

F = TypeVar("F", bound=Callable[..., Any])


def _compose(*decorators: Callable[[F], F]) -> Callable[[F], F]:
    def apply(function: F) -> F:
        for decorator in reversed(decorators):
            function = decorator(function)
        return function

    return apply


def _load_config(ctx: click.Context, _param: click.Parameter, path: str | None) -> None:
    if path is None:
        return
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise click.BadParameter(f"cannot read {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise click.BadParameter(f"{path} is not valid TOML: {exc}") from None
    params = {p.name: p for p in ctx.command.params if p.name}
    names = dict.fromkeys(params, "")
    for param in params.values():  # option spellings too: format -> output_format
        for opt in param.opts:
            names[opt.lstrip("-").replace("-", "_")] = param.name
    names = {key: target or key for key, target in names.items()}
    defaults: dict[str, Any] = {}
    for key, value in data.items():
        name = key.replace("-", "_")
        if name == "map" and isinstance(value, dict):
            defaults["mappings"] = [
                f"{kind}.{field}={header}"
                for kind, fields in value.items()
                for field, header in (fields.items() if isinstance(fields, dict) else [])
            ]
        elif name in names:
            param = params[names[name]]
            multiple = getattr(param, "multiple", False)
            defaults[param.name] = [value] if multiple and isinstance(value, str) else value
        else:
            raise click.BadParameter(f"{path}: unknown setting {key!r} for 'netcluster {ctx.info_name}'")
    ctx.default_map = {**(ctx.default_map or {}), **defaults}


config_option = click.option(
    "--config", type=click.Path(dir_okay=False), is_eager=True, expose_value=False,
    callback=_load_config, metavar="FILE",
    help="Read option values from a TOML file (keys are option names; [map.KIND] tables give column mappings).",
)

#: The record inputs and how to build a network from them (the options of netcluster.build_network).
build_options = _compose(
    config_option,
    click.option("--partnerships", multiple=True, metavar="FILE",
                 help="Partnership records: organisation pairs (source, target) or project participations (event, org). Repeatable."),
    click.option("--copatents", multiple=True, metavar="FILE",
                 help="Co-patent records: one row per patent and applicant, or one per patent with applicants in one cell. Repeatable."),
    click.option("--memberships", multiple=True, metavar="FILE",
                 help="Membership records (org, group). Repeatable."),
    click.option("--organisations", multiple=True, metavar="FILE",
                 help="Organisation records (org, name, country, region, ...). Repeatable."),
    click.option("--sample", type=click.Choice([s.name for s in list_samples()]), default=None,
                 help="Use a bundled sample instead of files (default when no file is given: ocean_cluster)."),
    click.option("--map", "mappings", multiple=True, metavar="KIND.FIELD=HEADER",
                 help="Choose a column explicitly, e.g. copatents.org=psn_name. Repeatable."),
    click.option("--counting", type=click.Choice(COUNTING), default="full", show_default=True,
                 help="How an event with k organisations weights each pair: 1 (full) or 1/(k-1) (fractional)."),
    click.option("--max-event-size", type=click.IntRange(min=0), default=100, show_default=True,
                 help="Events with more organisations are oversized (listed in the load report); 0 for no cap."),
    click.option("--oversized", type=click.Choice(OVERSIZED), default="skip", show_default=True,
                 help="Leave oversized events out (skip) or project them with fractional weights (downweight)."),
    click.option("--merge-names", type=click.FloatRange(0, 100), default=None, metavar="SCORE",
                 help="Merge near-identical organisation names within a country (score 0-100, e.g. 95); each merge is reported."),
    click.option("--strict", is_flag=True, default=False,
                 help="Stop with an error if any input row is rejected."),
)

#: The options of build_options that shape building; they do not apply to a saved --network.
_BUILD_ONLY = ("mappings", "counting", "max_event_size", "oversized", "merge_names", "strict")

#: Where a command's network comes from: a saved network file, or records as in build_options.
record_options = _compose(
    click.option("--network", type=click.Path(), default=None, metavar="FILE",
                 help="A network saved by 'netcluster build' (CollaborationNetwork.save), or the output folder "
                      "of 'netcluster aggregate', instead of record files or --sample."),
    build_options,
)

home_options = _compose(
    click.option("--home", "home_text", default=None, metavar="KEY=VALUE",
                 help='The focal cluster: group="Oslo Ocean Cluster", country=NO, region=..., city=... or member.'),
    click.option("--home-file", type=click.Path(dir_okay=False), default=None, metavar="FILE",
                 help="The focal cluster as a file of organisation ids, one per line."),
)

memory_budget_option = click.option(
    "--memory-budget", default=None, metavar="SIZE",
    help="Memory the graph stages may use, e.g. 12G (default: NETCLUSTER_MEMORY_BUDGET, else 80 % "
         "of the memory available); larger analyses stop with an error before they start.")

analysis_options = _compose(
    home_options,
    click.option("--locality", default="region", show_default=True,
                 help="What 'local' means: region, city, nuts1, nuts2, nuts3 or an organisation column."),
    click.option("--group-by", default="country", show_default=True,
                 help="Groups for brokerage and E-I: country, or a locality key."),
    click.option("--hops", type=click.IntRange(min=1), default=2, show_default=True,
                 help="Path length for external reach and gatekeeper dependency."),
    click.option("--exact/--sampled", "exact", default=None,
                 help="Bridge centrality over every source, or over a stratified sample (default: chosen by size)."),
    click.option("--samples", type=click.IntRange(min=1), default=None, metavar="N",
                 help="Sources sampled for bridge centrality (default 1500)."),
    click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True, metavar="N",
                 help="Processes sharing the bridge-centrality searches (results do not depend on it)."),
    click.option("--top-share", type=click.FloatRange(0, 1), default=0.10, show_default=True,
                 help="Share of top brokers removed to measure gatekeeper dependency."),
    click.option("--gb-local-threshold", default=None, metavar="VALUE",
                 help="Giuliani-Bell threshold on local partners: a number, mean or median (default mean)."),
    click.option("--gb-openness-threshold", default=None, metavar="VALUE",
                 help="Giuliani-Bell threshold on openness: a number, mean or median (default mean)."),
    click.option("--layer", "layers", multiple=True, metavar="NAME",
                 help="Analyse only this layer (partnership, copatent, membership, ...). Repeatable."),
    click.option("--resolution", type=click.FloatRange(min=0, min_open=True), default=1.0, show_default=True,
                 help="Resolution of the Leiden communities (higher: more, smaller communities)."),
    click.option("--seed", type=int, default=0, show_default=True, help="Seed for every random step."),
    click.option("--neighbourhood", type=click.IntRange(min=0), default=None, metavar="K",
                 help="Analyse only the home set and the organisations within K ties of it (for networks too "
                      "large for memory); the organisations and ties left out are reported."),
    memory_budget_option,
)


def parse_map(values: tuple[str, ...] | list[str]) -> dict[str, dict[str, str]]:
    """Turn ``KIND.FIELD=HEADER`` strings into ``{kind: {field: header}}``.

    Examples
    --------
    >>> parse_map(["copatents.org=psn_name", "copatents.event=appln_id"])
    {'copatents': {'org': 'psn_name', 'event': 'appln_id'}}
    """
    mapping: dict[str, dict[str, str]] = {}
    for value in values:
        left, sep, header = value.partition("=")
        kind, dot, field = left.partition(".")
        if not (sep and dot and kind and field and header):
            raise click.BadParameter(f"{value!r}: write KIND.FIELD=HEADER, e.g. copatents.org=psn_name",
                                     param_hint="--map")
        if kind not in KINDS:
            raise click.BadParameter(f"{value!r}: KIND is one of {', '.join(KINDS)}", param_hint="--map")
        mapping.setdefault(kind, {})[field] = header
    return mapping


def network_from_options(options: dict[str, Any], *, describe_load: bool = True
                         ) -> tuple[CollaborationNetwork, str | None]:
    """Build the network the record options describe; return it with its data attribution.

    Without any record file, the ``--sample`` (default ``ocean_cluster``) is used. With
    ``--network FILE``, the saved network is loaded (:meth:`CollaborationNetwork.load`)
    with the attribution ``netcluster build`` kept in its provenance; a folder is read
    as the output of ``netcluster aggregate`` (:func:`netcluster.sql.aggregate.network_from_aggregate`).
    Record files, ``--sample`` and the building options given on the command line are
    refused alongside it.

    With -v, the load report of the records is printed too, unless ``describe_load``
    is false (``netcluster validate`` prints it as its output).
    """
    files = {kind: list(options[kind]) for kind in KINDS if options[kind]}
    if options.get("network"):
        _refuse_with_saved_network(files, options)
        if Path(options["network"]).is_dir():
            return network_from_aggregate(options["network"]), None
        saved = CollaborationNetwork.load(options["network"])
        attribution = saved.provenance.get("attribution")
        return saved, attribution if isinstance(attribution, str) else None
    if files and options["sample"]:
        raise click.UsageError("give either record files or --sample, not both")
    attribution = None
    if not files:
        sample = get_sample(options["sample"] or "ocean_cluster")
        files = {kind: [str(path)] for kind, path in sample.paths().items()}
        attribution = sample.attribution
    with stages("loading records") as progress:
        network = build_network(
            **files,
            counting=options["counting"],
            max_event_size=options["max_event_size"] or None,
            oversized=options["oversized"],
            columns=parse_map(options["mappings"]),
            strict=options["strict"],
            merge_names=options["merge_names"],
            progress=progress,
        )
    if describe_load:
        for line in LoadReport.from_dict(network.load_report).summary_lines():
            detail(line)
    return network, attribution


def _refuse_with_saved_network(files: dict[str, list[str]], options: dict[str, Any]) -> None:
    if files or options["sample"]:
        raise click.UsageError("give either --network or record files (or --sample), not both")
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return
    for param in ctx.command.params:
        if param.name in _BUILD_ONLY and ctx.get_parameter_source(param.name) is ParameterSource.COMMANDLINE:
            raise click.UsageError(f"{param.opts[0]} applies when building from record files; "
                                   "the saved --network was built already")


suggestion_options = _compose(
    click.option("--country", "countries", multiple=True, metavar="CODE",
                 help="Only suggest organisations of this country. Repeatable."),
    click.option("--kind", "kinds", multiple=True, metavar="KIND",
                 help="Only suggest organisations of this kind (firm, university, research, ...). Repeatable."),
    click.option("--include-own-country", is_flag=True, default=False,
                 help="Also suggest organisations of the member's own country."),
    click.option("--similarity", multiple=True, metavar="COLUMN",
                 help="Favour candidates equal to the member on this column (kind, sector, ...). Repeatable."),
    click.option("--similarity-weight", type=click.FloatRange(min=0), default=0.25, show_default=True,
                 help="Weight of the similarity share in the score."),
)


#: Where an outcome comes from, for 'netcluster evidence' and the report's evidence panel.
outcome_options = _compose(
    click.option("--outcomes", "outcomes_file", type=click.Path(dir_okay=False), default=None, metavar="FILE",
                 help="Outcomes file: organisation id in the first column, numeric outcome columns after it "
                      "(yes/no and true/false read as 1/0)."),
    click.option("--outcome", default=None, metavar="COLUMN",
                 help="The outcome column: of --outcomes (default: its first outcome column), else of the "
                      "organisations table (new_product in the ocean_cluster sample, which the report uses "
                      "by default); with --until, events_after (default) or any_after."),
    click.option("--until", type=int, default=None, metavar="YEAR",
                 help="Derive the outcome from the records instead: partners from ties before YEAR, outcome "
                      "= events from YEAR on (events_after, or any_after for 0/1), prior activity as control."),
)


def suggestion_keywords(options: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of netcluster.suggest_partners and netcluster.backtest the options give."""
    return {
        "countries": list(options.pop("countries")) or None,
        "kinds": list(options.pop("kinds")) or None,
        "similarity": list(options.pop("similarity")),
        "similarity_weight": options.pop("similarity_weight"),
    }


def home_from_options(options: dict[str, Any]) -> Any:
    """The home set --home or --home-file describe (None when neither is given)."""
    if options["home_text"] and options["home_file"]:
        raise click.UsageError("give either --home or --home-file, not both")
    if options["home_file"]:
        return {"file": options["home_file"]}
    return parse_home(options["home_text"]) if options["home_text"] else None


def analysis_from_options(network: CollaborationNetwork, options: dict[str, Any]) -> AnalysisResult:
    """Run :func:`netcluster.analyze` with the analysis options (the twin of its keywords)."""
    home = home_from_options(options)
    thresholds = (_threshold(options["gb_local_threshold"]), _threshold(options["gb_openness_threshold"]))
    if options["neighbourhood"] is not None:
        if home is None:
            raise click.UsageError("--neighbourhood needs a home set: give --home or --home-file")
        network = restrict_to_neighbourhood(network, home, options["neighbourhood"], layers=options["layers"] or None)
        info(f"Note: {network.load_report['notes'][-1]}.")
    with stages("analysis", total=len(ANALYSIS_STAGES)) as progress:
        return analyze(
            network,
            home=home,
            locality=options["locality"],
            group_by=options["group_by"],
            layers=options["layers"] or None,
            hops=options["hops"],
            exact=options["exact"],
            samples=options["samples"],
            top_share=options["top_share"],
            gb_thresholds=thresholds,
            resolution=options["resolution"],
            seed=options["seed"],
            memory_budget=options["memory_budget"],
            workers=options["workers"],
            progress=progress,
        )


def _threshold(text: str | None) -> float | str | None:
    if text is None or text in ("mean", "median"):
        return text
    try:
        return float(text)
    except ValueError:
        raise click.BadParameter(f"{text!r}: give a number, mean or median") from None
