"""``oidcify check``: actionlint plus oidcify's own rules over workflow files, and trust coverage
of a role's trust policy against the ``sub`` claims the workflows' jobs can present.

``engine.check(options)`` returns a ``Report``; the rules themselves live in ``oidcify.rules``,
one module each. Nothing here prints: ``commands/check.py`` and ``output``/``sarif`` format.
"""
