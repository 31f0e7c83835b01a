output "role_arn" {
  description = "ARN of the role; the workflow's role-to-assume."
  value       = aws_iam_role.github_actions.arn
}

output "repository_url" {
  description = "Image URI without a tag; the workflow's metadata-action images."
  value       = var.create_ecr_repository ? aws_ecr_repository.image[0].repository_url : local.repository_url
}

output "trust_policy" {
  description = "The role's trust policy: which GitHub runs may assume it."
  value       = data.aws_iam_policy_document.trust[""].json
}

output "batch_role_arns" {
  description = "ARN of each role of batch_roles (batch.tf), by name."
  value       = { for name, role in aws_iam_role.batch : name => role.arn }
}
