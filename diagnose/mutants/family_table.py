"""The members x faults table: what the diagnoser names on every member of the net family.

Two kinds of subject per member: the checklist mistakes made around its reference
(`Variant`: no text of a member's source has them, so they are wrapped around it),
and the catalog's member faults (bugs/family_catalog.py), each on its own member.
The README's table is generated here and a test regenerates it.
"""
import numpy as np

import bugs
from core import family
from core.family import MEMBERS
from diagnose.engine.findings import HEALTHY
from diagnose.engine.pipeline import diagnose

# checklist mistake -> the id the diagnoser names on a member (a member's cache holds no P to write into,
# so the in-place write is the general cache_mutated of the same checklist item)
CHECKLIST = {"missing_div_n": "missing_div_n", "no_copy": "cache_mutated", "labels_n1": "labels_n1",
             "float32": "float32", "update_before_check": "update_before_check"}
HEADINGS = {"missing_div_n": "missing /N", "no_copy": "no copy", "labels_n1": "(N, 1) labels",
            "float32": "float32", "update_before_check": "update before check"}


class Variant:
    """Member `net`'s reference with one checklist mistake made around it."""

    def __init__(self, net, mistake):
        self.net, self.mistake = family.parse_net(net), mistake

    def forward_loss(self, X, y, params):
        if self.mistake == "float32":
            X, params = X.astype(np.float32), {k: v.astype(np.float32) for k, v in params.items()}
        loss, cache = family.forward_loss(X, y, params, self.net)
        if self.mistake == "labels_n1":  # P[np.arange(N), y] with y as a column: every row against every label
            loss = -np.mean(family.log_softmax(cache["Z2"])[np.arange(len(y)), y.reshape(-1, 1)])
        return loss, cache

    def backward(self, cache, params):
        grads = family.backward(cache, params, self.net)
        if self.mistake == "missing_div_n":
            grads = {k: g * len(cache["y"]) for k, g in grads.items()}
        if self.mistake == "no_copy":
            cache["Z2"] -= 1.0  # an in-place edit of what forward cached
        if self.mistake == "update_before_check":
            for k in params:
                params[k] -= 0.1 * grads[k]
        return grads


def applies(mistake, net):
    """(N, 1) labels index a softmax's rows; the other mistakes make sense on every member."""
    return mistake != "labels_n1" or net.head == "softmax_ce"


def named(subject, expected, seeds):
    """How many seeds give the verdict `expected`."""
    return sum(diagnose(subject, seed=s).verdict == expected for s in seeds)


def member_row(net, seeds):
    """(member, core healthy count, {mistake: count or None}, [(fault id, expected, count)])."""
    core_ok = named(family.member(net), HEALTHY, seeds)
    mistakes = {m: named(Variant(net, m), CHECKLIST[m], seeds) if applies(m, net) else None for m in CHECKLIST}
    own = []
    for fault in (f for f in bugs.FAULTS if f.source == "core.family" and f.net == str(net)):
        expected = HEALTHY if fault.kind == bugs.Kind.EQUIVALENT else fault.id
        own.append((fault.id, expected, named(bugs.make_mutant(fault), expected, seeds)))
    return str(net), core_ok, mistakes, own


def members_markdown(seeds=range(5)):
    """The README table: one row per member, each cell `right/seeds`."""
    n = len(seeds)
    head = ["member", "core healthy", *HEADINGS.values(), "its catalog faults"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for net in MEMBERS:
        member, core_ok, mistakes, own = member_row(net, seeds)
        cells = [f"`{member}`", f"{core_ok}/{n}"]
        cells += ["-" if c is None else f"{c}/{n}" for c in mistakes.values()]
        cells.append(", ".join(f"`{fid}`{' (healthy)' if exp == HEALTHY else ''} {c}/{n}" for fid, exp, c in own)
                     or "-")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
