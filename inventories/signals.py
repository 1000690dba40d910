"""Signals of inventories: how the apps above it (workflows) take part in the writes of activity
data without inventories importing them. Receivers run synchronously, inside the transaction
of the write, so that what they do commits or rolls back with it.

Asked while corrections are requested, to know which records may still change:

    correctable_records(sender=Inventory, inventory) -> each receiver answers a set of activity
        record ids of `inventory` that may be corrected now (those an unresolved finding points
        at); the union counts, and with no receiver nothing is correctable

Sent after an activity record was corrected (`inventories.services.correct_activity`), inside
its transaction; a receiver that raises undoes the correction:

    activity_corrected(sender=ActivityRecord, record, inventory, actor, before, after)
        `before` and `after` are the record's line (docs/interfaces.md §3 form)

Sent after an activity record was removed (`inventories.activity.remove_activity`), inside its
transaction; a receiver that raises undoes the removal:

    activity_removed(sender=ActivityRecord, record_id, inventory, actor, reason, removed)
        `removed` holds the record's line (§3 form), origin, evidence, meter, creator and time
"""

from django.dispatch import Signal

from .models import Inventory

correctable_records = Signal()
activity_corrected = Signal()
activity_removed = Signal()


def correctable_record_ids(inventory) -> set[int]:
    """The ids the receivers of `correctable_records` answer for `inventory`."""
    ids: set[int] = set()
    for _receiver, answer in correctable_records.send(sender=Inventory, inventory=inventory):
        ids.update(answer or ())
    return ids
