"""Signals of workflows: how the apps above it (certificates) take part without workflows
importing them.

Asked inside the `certify` transition, before the state moves:

    certification_check(sender, inventory) -> each receiver answers a list of problems
        (translated strings) that stop the inventory's labels from being issued; [] when none

Sent after a transition has been committed (never inside it):

    inventory_transitioned(sender=Inventory, inventory_id, name, source, target, actor_id, entry_id)
    inventory_certified(sender=Inventory, inventory_id, actor_id)

`certificates` connects to `inventory_certified` to issue the labels, e.g.

    @receiver(inventory_certified)
    def issue(sender, inventory_id, actor_id, **kwargs):
        issue_labels(inventory_id=inventory_id, actor_id=actor_id)

Receivers run after commit and are called robustly: one that fails is logged and does not
undo the transition or stop the others.
"""

from django.dispatch import Signal

certification_check = Signal()
inventory_transitioned = Signal()
inventory_certified = Signal()


# Outbox topics (carbon_portal/core/outbox.py) recorded by the transitions, in their transaction:
# the string is the contract with the app that handles it (registered in its AppConfig.ready()).
NOTIFY_TOPIC = "workflows.notify"  # {"entry_id": ...}: notices after a step (handled by workflows)
INVENTORY_CERTIFIED_TOPIC = "workflows.inventory_certified"  # {"inventory_id", "actor_id"}: certificates issues labels
