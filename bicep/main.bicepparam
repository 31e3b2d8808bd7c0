// Parameters for `azd up` (azd exports its environment, so readEnvironmentVariable sees AZURE_ENV_NAME and the rest)
// and for `az deployment group create -f bicep/main.bicep -p bicep/main.bicepparam` with the same variables set.
using 'main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'dfx')
param location = readEnvironmentVariable('AZURE_LOCATION', 'swedencentral')
param workerGpu = readEnvironmentVariable('DFX_WORKER_GPU', 'T4')
param workerMaxReplicas = int(readEnvironmentVariable('DFX_WORKER_MAX_REPLICAS', '1'))
// azd sets SERVICE_WORKER_IMAGE_NAME to the image it built and pushed (an immutable azd-deploy-<time> tag).
param workerImage = readEnvironmentVariable('SERVICE_WORKER_IMAGE_NAME', '')
param registrySku = readEnvironmentVariable('DFX_REGISTRY_SKU', 'Basic')
param retentionDays = int(readEnvironmentVariable('DFX_RETENTION_DAYS', '7'))
param modelFolder = readEnvironmentVariable('DFX_MODEL_FOLDER', '')
param webhookSecret = readEnvironmentVariable('DFX_WEBHOOK_SECRET', '')
param deployerPrincipalId = readEnvironmentVariable('AZURE_PRINCIPAL_ID', '')
param deployerPrincipalType = readEnvironmentVariable('AZURE_PRINCIPAL_TYPE', 'User')
// Several models (README "Several models"): a JSON array of modelSpec objects, one worker app and queue each, e.g.
// azd env set DFX_MODELS '[{"name":"sd15","folder":"sd15","defaultWidth":512,"defaultHeight":512,"defaultSteps":25,
// "defaultGuidanceScale":"7.5","defaultScheduler":"pndm"}]'. Empty: one worker serving DFX_MODEL_FOLDER.
param models = json(readEnvironmentVariable('DFX_MODELS', '[]'))
param defaultModel = readEnvironmentVariable('DFX_DEFAULT_MODEL', '')
