"""Trust policies from a Terraform folder (``oidcify check --terraform DIR``).

``folder.load`` is the entry point: with terraform installed it reads an offline plan
(``offline_plan``), else the ``.tf`` files with python-hcl2 (``hcl_policies``), which computes
oidcify's own template with ``template_policy``. ``role_location`` finds each role's ARN and
line for both readings. Nothing is imported here: python-hcl2 loads only when needed.
"""
