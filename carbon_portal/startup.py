"""What a long-running process (web or Celery worker) does once it has loaded the application."""

import gc


def freeze_loaded_objects() -> None:
    """Move everything loaded so far out of the garbage collector's sight.

    A full collection otherwise walks the whole application (hundreds of thousands of objects
    that live until the process ends): a web worker stalled every request it held for a few
    hundred milliseconds every couple of thousand requests, and a calculation of 10,000 lines
    took a tenth of a second longer whenever one fell inside it.
    """
    gc.collect()
    gc.freeze()
