#!/usr/bin/env sh
# azd postdeploy hook (azure.yaml). With several models (bicep models parameter, DFX_MODELS) the deployment has one
# worker app per model, all running the same image. azd deploys the image to one app only: the default model's, the one
# tagged azd-service-name: worker (WORKER_NAME). This gives every other worker app (WORKER_NAMES) that image.
# With one model there is nothing else to update. Needs the Azure CLI (az), signed in as for azd.
set -eu

image="${SERVICE_WORKER_IMAGE_NAME:-}"
primary="${WORKER_NAME:-}"
if [ -z "$image" ]; then
  echo "update-model-workers: SERVICE_WORKER_IMAGE_NAME is not set (azd deploy sets it); nothing to update."
  exit 0
fi

group="${AZURE_RESOURCE_GROUP:?update-model-workers: AZURE_RESOURCE_GROUP is not set (an output of bicep/main.bicep)}"
for app in ${WORKER_NAMES:-}; do
  if [ "$app" = "$primary" ]; then
    continue
  fi
  echo "update-model-workers: $app -> $image"
  az containerapp update --name "$app" --resource-group "$group" --image "$image" --output none
done
