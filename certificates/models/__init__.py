from .baselines import IndustryBaseline
from .documents import Document
from .footprints import AllocationBasis, FootprintMethod, UpstreamInput
from .keys import SigningKey
from .labels import Label, LabelEvent

__all__ = [
    "AllocationBasis",
    "Document",
    "FootprintMethod",
    "IndustryBaseline",
    "Label",
    "LabelEvent",
    "SigningKey",
    "UpstreamInput",
]
