"""The shipped spamfarm model (installed as ``spamfarm.models``); see MODEL_CARD.md."""
