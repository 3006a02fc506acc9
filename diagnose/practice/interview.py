"""The mock interview: a blank template against a clock, then two follow-up questions, then a scorecard.

Every check of the file is a submission; hints are on demand. When the file is
healthy, two quiz questions on different topics follow. The scorecard (time,
submissions, hints, follow-ups right) is saved in the store and shown by `stats`.
"""
import click

from diagnose.check.template import write_template
from diagnose.practice import quiz, schedule
from diagnose.practice.levels import levels
from diagnose.practice.repair import repair
from diagnose.practice.rounds import quiz_round, round_file
from diagnose.practice.store import Outcome, Scorecard

FOLLOW_UPS = 2
DEFAULT_NET = "relu,softmax_ce"  # core/net.py's member of the net family


def minutes_words(minutes):
    """'1 minute', '30 minutes', '0.5 minutes'."""
    return f"{minutes:g} minute" + ("" if minutes == 1 else "s")


def write_blank(path, net):
    """The blank template of a member of the net family (None: core/net.py's)."""
    write_template(path, force=True, net=net)  # the empty file round_file claimed


def scorecard_text(card):
    """The scorecard, one line per item."""
    return "\n".join([
        "Scorecard:",
        f"  result:      {'healthy' if card.healthy else 'not healthy'}",
        f"  time:        {card.seconds / 60:.3g} of {minutes_words(card.minutes)}",
        f"  submissions: {card.submissions}",
        f"  hints:       {card.hints}",
        f"  follow-ups:  {card.followups_right} of {card.followups_asked} right",
    ])


def follow_ups(session, progress):
    """Two quiz questions on topics chosen by the schedule, never the same topic twice; their Results."""
    asked, results = [], []
    for _ in range(FOLLOW_UPS):
        topic = schedule.pick(quiz.TOPICS, progress.topics, session.rng, progress.rounds, asked)
        asked.append(topic)
        click.echo(f"\nFollow-up {len(asked)}/{FOLLOW_UPS}:")
        results.append(quiz_round(session, quiz.make_question(topic, session.rng)))
    return results


def interview(session, progress):
    """Run the interview; returns (the Scorecard, the follow-up Results). click.Abort ends it early."""
    drill = session.drill
    nets = levels()[session.level].nets
    net = nets[int(session.rng.integers(len(nets)))]
    path = round_file(drill.workdir, 1)
    write_blank(path, net)
    click.echo(f"Mock interview, {minutes_words(drill.minutes)}. {path} is a blank two-layer classifier: implement "
               "forward_loss() and backward().\nEvery check is a submission; h gives a hint; q ends the interview.")
    deadline = drill.clock() + 60.0 * drill.minutes
    attempt = repair(session, path, session.probe_seed(), reveal=False, deadline=deadline, stop_gives_up=True)
    results = []
    if attempt.healthy:
        click.echo("Healthy. Two follow-up questions:")
        results = follow_ups(session, progress)
    card = Scorecard(when=float(drill.now()), minutes=float(drill.minutes), seconds=round(attempt.seconds, 3),
                     healthy=attempt.healthy, submissions=attempt.submissions, hints=attempt.hints,
                     followups_right=sum(r.outcome is Outcome.RIGHT for r in results),
                     followups_asked=len(results), net=net or DEFAULT_NET)
    click.echo("\n" + scorecard_text(card))
    return card, results
