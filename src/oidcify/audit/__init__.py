"""``oidcify audit``: judge every role of AWS accounts that trusts GitHub's OIDC provider.

The roles come from exports (``export``: ``aws iam get-account-authorization-details`` or
``aws iam get-role`` output) or live from IAM (``live``, with ``fanout`` over several accounts
through an assumed role). Each trust policy is judged by ``check``'s own trust rules
(``judge``: OC2xx), then by the rules that only make sense across an account
(``account_rules``: OC3xx), optionally joined with workflow checkouts (``joined``).
``assess`` runs one audit; ``printing`` prints its report as text, JSON or SARIF.
"""
