# The ECR repository the workflow pushes to, when this configuration owns it.

resource "aws_ecr_repository" "image" {
  count = var.create_ecr_repository ? 1 : 0

  name = var.ecr_repository
  # IMMUTABLE: a pushed tag always names the same image. Tags that move on every push (branch,
  # latest, the registry cache) need MUTABLE; terraform.tfvars says which one the answers chose.
  image_tag_mutability = var.image_tag_mutability

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "AES256"
  }
}

resource "aws_ecr_lifecycle_policy" "image" {
  count = var.create_ecr_repository ? 1 : 0

  repository = aws_ecr_repository.image[0].name
  # Only untagged images expire: layers of superseded moving tags and orphaned manifests. ECR keeps
  # the per-platform manifests a tagged multi-platform image still references.
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Expire untagged images after ${var.untagged_image_expiry_days} days"
      selection = {
        tagStatus   = "untagged"
        countType   = "sinceImagePushed"
        countUnit   = "days"
        countNumber = var.untagged_image_expiry_days
      }
      action = { type = "expire" }
    }]
  })
}
