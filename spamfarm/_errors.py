"""The exceptions spamfarm raises.

::

    Exception
     +-- SpamfarmError                 every error of ours
          +-- ModelLoadError           the model file is missing, corrupt, untrusted or does not fit this code
    TypeError                          (built-in) html is not str, bytes or a BeautifulSoup object

Bad *pages* never raise: an empty, binary or broken page still gets a score.
"""

from __future__ import annotations


class SpamfarmError(Exception):
    """Base class of every exception raised by spamfarm."""


class ModelLoadError(SpamfarmError):
    """The model bundle could not be loaded or does not match this version of the code."""
