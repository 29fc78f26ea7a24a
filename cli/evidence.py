"""netcluster evidence: is an outcome associated with local, national or international partners?"""

from __future__ import annotations

import json
from typing import Any

import click

from netcluster.evidence import MODELS, derive_outcomes, estimate_tie_effects, organisation_outcome, read_outcomes
from netcluster.export import neutralise_formulas
from netcluster.files import atomic_write

from ._messages import info, warn
from ._options import (
    analysis_from_options, analysis_options, network_from_options, outcome_options, record_options,
)
from ._progress import step


@click.command()
@record_options
@analysis_options
@outcome_options
@click.option("--control", "controls", multiple=True, metavar="NAME",
              help="A control: prior_activity, locality, kind, sector, an outcomes column or an "
                   "organisation column. Repeatable (default: prior_activity and kind).")
@click.option("--model", type=click.Choice(["auto", *MODELS]), default="auto", show_default=True,
              help="auto: logit for 0/1, Poisson or negative binomial for counts, OLS otherwise.")
@click.option("--no-log", is_flag=True, default=False,
              help="Use the partner counts as they are instead of log(1 + count).")
@click.option("--by-kind", is_flag=True, default=False,
              help="Split partners into science-based (university, research) and other.")
@click.option("--cluster-by", default=None, metavar="COLUMN",
              help="Cluster standard errors by this organisation column (locality: the --locality key); "
                   "default HC1 robust errors.")
@click.option("--bootstrap", type=click.IntRange(min=0), default=0, show_default=True, metavar="N",
              help="Resamples for a bootstrap interval of the ratio (0: delta method).")
@click.option("--format", "output_format", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True, help="table for people; json with every part; csv of the coefficients.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Write to this file instead of standard output.")
def evidence(outcomes_file: str | None, outcome: str | None, until: int | None, controls: tuple[str, ...],
             model: str, no_log: bool, by_kind: bool, cluster_by: str | None, bootstrap: int,
             output_format: str, output: str | None, **options: Any) -> None:
    """Regress an outcome on each organisation's local, national and international partners.

    The twin of netcluster.estimate_tie_effects. The outcome comes from a
    file (--outcomes, e.g. a member survey), from a column of the
    organisations table (--outcome alone), or from the records themselves
    (--until YEAR: partners counted on ties before YEAR, outcome = events
    from YEAR on). The result says whether international partners are
    associated with the outcome more than local ones: coefficients with 95 %
    intervals and p-values, average marginal effects, and the ratio of the
    international to the local effect. An association in observational data,
    not proof that ties cause innovation.

    \b
    Examples:
      netcluster evidence --home member --until 2021
      netcluster evidence --outcome new_product
      netcluster evidence --partnerships p.csv --organisations o.csv --outcomes survey.csv --outcome new_product
    """
    if outcomes_file is not None and until is not None:
        raise click.UsageError("give either --outcomes FILE or --until YEAR, not both")
    if outcomes_file is None and until is None and outcome is None:
        raise click.UsageError("give --outcomes FILE, --until YEAR, or --outcome COLUMN of the organisations table")
    network, _ = network_from_options(options)
    outcomes = None
    if until is not None:
        network, outcomes = derive_outcomes(network, until, layers=options["layers"] or None)
        outcome = outcome or "events_after"
    elif outcomes_file is not None:
        outcomes = read_outcomes(outcomes_file)
    else:
        outcomes = organisation_outcome(network, str(outcome))
    result = analysis_from_options(network, options)
    with step("estimating"):
        fit = estimate_tie_effects(result, outcomes, outcome, controls=controls or ("prior_activity", "kind"),
                                   model=model, transform=None if no_log else "log1p", by_kind=by_kind,
                                   cluster_by=cluster_by, seed=options["seed"], bootstrap=bootstrap)
    if output_format == "json":
        text = json.dumps(fit.to_dict(), ensure_ascii=False, indent=1) + "\n"
    elif output_format == "csv":
        text = neutralise_formulas(fit.coefficients).to_csv(index=False)
    else:
        text = _table_text(fit)
    if output is None:
        click.echo(text, nl=False)
    else:
        with atomic_write(output) as handle:
            handle.write(text)
        info(f"Wrote the estimate to {output}")
    for line in fit.summary_lines():
        if line.startswith("Warning: "):
            warn(line)
        else:
            info(line)


def _table_text(fit: Any) -> str:
    fmt = {"float_format": lambda x: f"{x:.3g}", "index": False}
    parts = [f"Coefficients ({fit.model}, outcome {fit.outcome!r}):", fit.coefficients.to_string(**fmt), "",
             "Average marginal effects:", fit.marginal_effects.to_string(**fmt), "",
             "International / local effect:",
             fit.ratios.reset_index()[["partners", "estimate", "ci_low", "ci_high", "method"]].to_string(**fmt)]
    return "\n".join(parts) + "\n"
