// DiffusionFunctions on Azure, as `azd up` deploys it (azure.yaml) or `az deployment group create -p main.bicepparam`:
// one storage account with shared keys off, the HTTP API on Flex Consumption, the GPU worker as Azure Functions on
// Azure Container Apps (containerApps, kind functionapp) on a serverless GPU profile, a container registry, Key Vault
// for the webhook secret, Event Grid (job events and logo-request uploads, both to storage queues with dead-lettering),
// Log Analytics + Application Insights, one user-assigned identity per app and least-privilege roles (rbac.bicep).
// Plain resources rather than AVM modules so the template deploys without registry access; shape after
// Azure-Samples/functions-quickstart-dotnet-azd (user-assigned identities, allowSharedKeyAccess: false, rbac.bicep).
targetScope = 'resourceGroup'

@description('azd environment name; names and tags every resource.')
@minLength(1)
@maxLength(40)
param environmentName string

@description('Location of every resource. Serverless GPUs: westus3, australiaeast, swedencentral (T4 and A100), westus (A100), westeurope (T4).')
param location string = resourceGroup().location

@description('Serverless GPU of the worker: T4 (NC8as-T4, 8 vCPU, 56 GiB) or A100 (NC24-A100, 24 vCPU, 220 GiB).')
@allowed(['T4', 'A100'])
param workerGpu string = 'T4'

@description('Most worker replicas (one GPU each). Default 1: the serverless GPU quota a new subscription starts with; raise it after a quota request.')
@minValue(1)
@maxValue(100)
param workerMaxReplicas int = 1

@description('Worker image by digest (registry/repo@sha256:...) or an immutable tag; azd fills it after its first build. Empty: a public placeholder until azd deploy replaces it.')
param workerImage string = ''

@description('Container registry SKU. Premium enables artifact streaming (faster GPU cold starts).')
@allowed(['Basic', 'Standard', 'Premium'])
param registrySku string = 'Basic'

@description('Days after which job records, inputs and results are deleted.')
@minValue(1)
@maxValue(3650)
param retentionDays int = 7

@description('Folder in the models container that holds the model and its SHA256SUMS (for example sd15). Empty: the shipped tiny-shapes model in the image. Used when models is empty.')
param modelFolder string = ''

// Each entry of models (README "Several models"): name (1-32 lower-case letters, digits and single hyphens; 14 or fewer
// keep the worker app's name whole), folder (in the models container, with its SHA256SUMS; empty or absent: the shipped
// tiny-shapes model in the image), maxReplicas (absent: workerMaxReplicas), and what the API enforces and shows (it
// holds no model folder in the cloud): family, modes ('txt2img,img2img'), minSize, maxSize, minSteps, maxSteps
// (absent: DiffusionFunctions:Generation's), and the required defaults defaultWidth, defaultHeight, defaultSteps,
// defaultGuidanceScale (a decimal string such as '7.5') and defaultScheduler. The API refuses to start when a default is missing.
@description('The models this deployment serves, one worker app and one queue (generation-requests-<name>) each, all on the workerGpu profile. Empty: one worker serving modelFolder on generation-requests, as before.')
param models array = []

@description('The model a job that names none runs on (one of models); empty: the first.')
param defaultModel string = ''

@secure()
@description('Standard Webhooks signing secret (whsec_ + base64 of 24-64 random bytes), stored in Key Vault. Empty: no secret, and the API refuses callbackUrl.')
param webhookSecret string = ''

@description('Object id of the person deploying, given blob write on the models container only (azd sets AZURE_PRINCIPAL_ID). Empty: none.')
param deployerPrincipalId string = ''

@description('Principal type of deployerPrincipalId.')
@allowed(['User', 'Group', 'ServicePrincipal'])
param deployerPrincipalType string = 'User'

@description('Most API instances (Flex Consumption).')
@minValue(1)
@maxValue(1000)
param apiMaximumInstanceCount int = 40

@description('Origins allowed to call the API from a browser (the function app\'s CORS), e.g. the playground\'s host: [\'https://my.app\']. Empty: none.')
param apiAllowedOrigins array = []

var tags = {
  'azd-env-name': environmentName
  application: 'diffusionfunctions'
}
var suffix = uniqueString(subscription().id, resourceGroup().id, environmentName)
var names = {
  apiIdentity: 'id-api-${suffix}'
  workerIdentity: 'id-worker-${suffix}'
  eventsIdentity: 'id-events-${suffix}'
  storage: take('st${suffix}', 24)
  logs: 'log-${suffix}'
  insights: 'appi-${suffix}'
  registry: 'cr${suffix}'
  vault: take('kv-${suffix}', 24)
  topic: 'evgt-${suffix}'
  systemTopic: 'evgst-${suffix}'
  apiPlan: 'plan-api-${suffix}'
  api: 'func-api-${suffix}'
  environment: 'cae-${suffix}'
  worker: 'ca-worker-${suffix}'
}

// Containers and queues (DiffusionFunctions:Storage:* in both apps).
var containers = {
  jobs: 'jobs'
  inputs: 'inputs'
  results: 'results'
  models: 'models'
  logoRequests: 'logo-requests'
  batchRequests: 'batch-requests'
  deadLetter: 'eventgrid-deadletter'
  hosts: 'azure-webjobs-hosts'
  secrets: 'azure-webjobs-secrets'
  deployment: 'app-package-api'
}
var queues = {
  generation: 'generation-requests'
  events: 'generation-events'
  logoEvents: 'logo-requests-events'
  batchEvents: 'batch-requests-events'
}
// One worker app per model, each on its own queue; without a model list, the one worker of a single-model deployment.
var workers = empty(models)
  ? [
      {
        name: ''
        folder: modelFolder
        maxReplicas: workerMaxReplicas
        queue: queues.generation
        app: names.worker
        deployment: 'worker'
      }
    ]
  : map(models, m => {
      name: m.name
      folder: m.?folder ?? ''
      maxReplicas: m.?maxReplicas ?? workerMaxReplicas
      queue: '${queues.generation}-${m.name}'
      app: 'ca-${take(m.name, 14)}-${suffix}'
      deployment: 'worker-${m.name}'
    })
var generationQueues = map(workers, w => w.queue)
var defaultModelName = empty(models) ? '' : (empty(defaultModel) ? models[0].name : defaultModel)
// The API's model list (DiffusionFunctions:Models:<name>:*): queue, metadata and the defaults it pins into jobs.
var modelSettingObjects = [
  for m in models: toObject(
    filter(
      items({
        Queue: '${queues.generation}-${m.name}'
        Family: m.?family
        Modes: m.?modes
        MinSize: m.?minSize
        MaxSize: m.?maxSize
        MinSteps: m.?minSteps
        MaxSteps: m.?maxSteps
        DefaultWidth: m.defaultWidth
        DefaultHeight: m.defaultHeight
        DefaultSteps: m.defaultSteps
        DefaultGuidanceScale: m.defaultGuidanceScale
        DefaultScheduler: m.defaultScheduler
      }),
      e => e.value != null
    ),
    e => 'DiffusionFunctions__Models__${m.name}__${e.key}',
    e => string(e.value)
  )
]
var modelSettings = empty(models)
  ? {}
  : reduce(modelSettingObjects, { DiffusionFunctions__DefaultModel: defaultModelName }, (all, model) => union(all, model))
var webhookSecretName = 'webhook-secret'
var hasWebhookSecret = !empty(webhookSecret)
// Until azd deploys the real image: the Functions base image (no functions, never takes a message).
var placeholderImage = 'mcr.microsoft.com/azure-functions/dotnet-isolated:4-dotnet-isolated10.0'

resource apiIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: names.apiIdentity
  location: location
  tags: tags
}

resource workerIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: names.workerIdentity
  location: location
  tags: tags
}

resource eventsIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: names.eventsIdentity
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    tags: tags
    logAnalyticsName: names.logs
    insightsName: names.insights
    logRetentionDays: 30
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    tags: tags
    storageAccountName: names.storage
    containerNames: map(items(containers), c => c.value)
    queueNames: concat(flatten(map(generationQueues, q => [q, '${q}-poison'])), [queues.events, queues.logoEvents, '${queues.logoEvents}-poison', queues.batchEvents, '${queues.batchEvents}-poison'])
    expiringContainers: [containers.jobs, containers.inputs, containers.results]
    retentionDays: retentionDays
    deadLetterContainer: containers.deadLetter
    logAnalyticsId: monitoring.outputs.logAnalyticsId
  }
}

module registry 'modules/registry.bicep' = {
  name: 'registry'
  params: {
    location: location
    tags: tags
    registryName: names.registry
    sku: registrySku
    logAnalyticsId: monitoring.outputs.logAnalyticsId
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    tags: tags
    vaultName: names.vault
    secretName: webhookSecretName
    webhookSecret: webhookSecret
    logAnalyticsId: monitoring.outputs.logAnalyticsId
  }
}

module events 'modules/events.bicep' = {
  name: 'events'
  params: {
    location: location
    tags: tags
    topicName: names.topic
    systemTopicName: names.systemTopic
    storageAccountId: storage.outputs.id
    eventsIdentityId: eventsIdentity.id
    logAnalyticsId: monitoring.outputs.logAnalyticsId
  }
}

module rbac 'rbac.bicep' = {
  name: 'rbac'
  params: {
    storageAccountName: names.storage
    apiIdentityId: apiIdentity.id
    workerIdentityId: workerIdentity.id
    eventsIdentityId: eventsIdentity.id
    apiPrincipalId: apiIdentity.properties.principalId
    workerPrincipalId: workerIdentity.properties.principalId
    eventsPrincipalId: eventsIdentity.properties.principalId
    deployerPrincipalId: deployerPrincipalId
    deployerPrincipalType: deployerPrincipalType
    hostsContainerName: containers.hosts
    keysContainerName: containers.secrets
    deploymentContainerName: containers.deployment
    jobsContainerName: containers.jobs
    inputsContainerName: containers.inputs
    resultsContainerName: containers.results
    modelsContainerName: containers.models
    deadLetterContainerName: containers.deadLetter
    generationQueueNames: generationQueues
    eventsQueueName: queues.events
    logoEventsQueueName: queues.logoEvents
    logoRequestsContainerName: containers.logoRequests
    batchRequestsContainerName: containers.batchRequests
    batchEventsQueueName: queues.batchEvents
    topicName: names.topic
    registryName: names.registry
    insightsName: names.insights
    vaultName: names.vault
    webhookSecretName: webhookSecretName
    hasWebhookSecret: hasWebhookSecret
  }
  // Names are passed as known values (precise what-if); these make the scopes exist first.
  dependsOn: [storage, events, registry, keyVault, monitoring]
}

// Subscriptions after the events identity's roles, so Event Grid's validation delivery does not race them.
module eventSubscriptions 'modules/eventSubscriptions.bicep' = {
  name: 'event-subscriptions'
  params: {
    topicName: names.topic
    systemTopicName: names.systemTopic
    storageAccountId: storage.outputs.id
    eventsIdentityId: eventsIdentity.id
    jobEventsQueue: queues.events
    logoRequestsContainer: containers.logoRequests
    logoEventsQueue: queues.logoEvents
    batchRequestsContainer: containers.batchRequests
    batchEventsQueue: queues.batchEvents
    deadLetterContainer: containers.deadLetter
  }
  dependsOn: [rbac, events]
}

// Settings both apps read (DiffusionFunctions:Storage:*). Containers and queues exist: the apps create nothing.
var sharedSettings = {
  DiffusionFunctions__Storage__JobsContainer: containers.jobs
  DiffusionFunctions__Storage__InputsContainer: containers.inputs
  DiffusionFunctions__Storage__ResultsContainer: containers.results
  DiffusionFunctions__Storage__GenerationQueue: queues.generation
  DiffusionFunctions__Storage__EventsQueue: queues.events
  DiffusionFunctions__Storage__CreateResourcesOnStartup: 'false'
  DiffusionFunctions__Batches__RequestsContainer: containers.batchRequests
  DiffusionFunctions__Batches__RequestsEventsQueue: queues.batchEvents
  DiffusionFunctions__Logos__RequestsContainer: containers.logoRequests
  DiffusionFunctions__Logos__RequestsEventsQueue: queues.logoEvents
}

// The apps start after their role assignments (dependsOn rbac), so a first start does not fail on missing access.
module api 'modules/api.bicep' = {
  name: 'api'
  params: {
    location: location
    tags: tags
    planName: names.apiPlan
    appName: names.api
    identityId: apiIdentity.id
    identityClientId: apiIdentity.properties.clientId
    storageAccountName: storage.outputs.name
    blobEndpoint: storage.outputs.blobEndpoint
    deploymentContainer: containers.deployment
    insightsConnectionString: monitoring.outputs.insightsConnectionString
    maximumInstanceCount: apiMaximumInstanceCount
    sharedSettings: sharedSettings
    callbacksEnabled: hasWebhookSecret
    allowedOrigins: apiAllowedOrigins
    servesShippedModel: empty(modelFolder)
    modelSettings: modelSettings
    logAnalyticsId: monitoring.outputs.logAnalyticsId
  }
  dependsOn: [rbac]
}

module workerEnvironment 'modules/workerEnvironment.bicep' = {
  name: 'worker-environment'
  params: {
    location: location
    tags: tags
    environmentName: names.environment
    gpu: workerGpu
    logAnalyticsId: monitoring.outputs.logAnalyticsId
  }
}

// One worker app per model (the default model's is the one azd deploys to; the others get the same image from
// workerImage, and from infra/scripts/update-model-workers.sh after each azd deploy).
module workerApps 'modules/worker.bicep' = [
  for (w, i) in workers: {
    name: w.deployment
    params: {
      location: location
      tags: tags
      environmentId: workerEnvironment.outputs.id
      appName: w.app
      cpu: workerEnvironment.outputs.cpu
      memory: workerEnvironment.outputs.memory
      maxReplicas: w.maxReplicas
      modelName: w.name
      azdService: empty(w.name) || w.name == defaultModelName
      image: empty(workerImage) ? placeholderImage : workerImage
      registryLoginServer: registry.outputs.loginServer
      identityId: workerIdentity.id
      identityClientId: workerIdentity.properties.clientId
      storageAccountName: storage.outputs.name
      generationQueue: w.queue
      // Batch uploads start in one app only, the default model's; its items then go to their models' queues.
      batchEventsQueue: empty(w.name) || w.name == defaultModelName ? queues.batchEvents : ''
      // Logo uploads likewise: logo jobs name no model, so they run on the default model (and its folder's template).
      logoEventsQueue: empty(w.name) || w.name == defaultModelName ? queues.logoEvents : ''
      insightsConnectionString: monitoring.outputs.insightsConnectionString
      topicEndpoint: events.outputs.topicEndpoint
      webhookSecretUri: hasWebhookSecret ? keyVault.outputs.secretUri : ''
      modelSourceUrl: empty(w.folder) ? '' : '${storage.outputs.blobEndpoint}${containers.models}/${w.folder}'
      sharedSettings: sharedSettings
    }
    dependsOn: [rbac]
  }
]

// azd reads these (AZURE_CONTAINER_REGISTRY_ENDPOINT for the remote build and push); the README uses the rest.
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = registry.outputs.loginServer
output AZURE_CONTAINER_REGISTRY_NAME string = registry.outputs.name
output API_NAME string = api.outputs.name
output API_URL string = api.outputs.url
@description('The worker app azd deploys to: the default model\'s (the only one without a model list).')
output WORKER_NAME string = filter(workers, w => empty(w.name) || w.name == defaultModelName)[0].app
@description('Every worker app, space-separated (one per model); infra/scripts/update-model-workers.sh gives each the deployed image.')
output WORKER_NAMES string = join(map(workers, w => w.app), ' ')
output AZURE_RESOURCE_GROUP string = resourceGroup().name
output STORAGE_ACCOUNT_NAME string = storage.outputs.name
output MODELS_CONTAINER string = containers.models
output JOB_EVENTS_QUEUE string = queues.events
output LOGO_REQUESTS_CONTAINER string = containers.logoRequests
output LOGO_REQUESTS_EVENTS_QUEUE string = queues.logoEvents
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.insightsName
