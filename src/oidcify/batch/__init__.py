"""``oidcify batch``: the retrofit over many checkouts in parallel worker processes.

``targets`` finds the checkouts, ``roles`` gives each its role, ``pool`` runs ``worker`` in
processes, ``summary`` adds the outcomes up (report, patches, exit code), ``trust`` writes the
subjects per role for Terraform, ``display`` shows progress and the summary. Only ``worker``
imports the retrofit, and only inside the worker processes.
"""
