"""oidcify: move GitHub Actions from long-lived AWS keys to OIDC, and keep them there."""

__version__ = "0.4.0"
