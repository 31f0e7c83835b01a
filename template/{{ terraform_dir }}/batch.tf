# Roles for other repositories, moved off static AWS keys by `oidcify batch`: one role per entry
# of var.batch_roles, which `oidcify batch --trust-out batch.auto.tfvars.json` writes (an empty
# map, the default, creates nothing). Each role's trust policy is the same policy document as
# this configuration's own role (main.tf), built from the subjects listed for it and pinned to
# the entry's repository_id when it gives one.

resource "aws_iam_role" "batch" {
  for_each = var.batch_roles

  name                 = each.key
  path                 = each.value.path
  description          = "Assumed by GitHub Actions with OIDC; subjects written by oidcify batch"
  assume_role_policy   = data.aws_iam_policy_document.trust[each.key].json
  max_session_duration = var.max_session_duration

  # The trust policy names the provider by ARN; create it first.
  depends_on = [aws_iam_openid_connect_provider.github]

  lifecycle {
    precondition {
      condition     = lower(each.key) != lower(var.iam_role_name)
      error_message = "batch_roles: ${each.key} is this configuration's own role (iam_role_name); give the batch role another name."
    }
  }
}

locals {
  batch_policy_attachments = merge([
    for name, role in var.batch_roles : { for arn in role.policy_arns : "${name} ${arn}" => { role = name, policy_arn = arn } }
  ]...)
}

resource "aws_iam_role_policy_attachment" "batch" {
  for_each = local.batch_policy_attachments

  role       = aws_iam_role.batch[each.value.role].name
  policy_arn = each.value.policy_arn
}
