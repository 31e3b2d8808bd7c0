// Function app #2, the GPU worker: Azure Functions on Azure Container Apps (Microsoft.App/containerApps with
// kind 'functionapp', the current hosting model) on a serverless GPU workload profile, scaling from zero on the
// generation queue. Its own user-assigned identity pulls the image (AcrPull), reads the webhook secret from Key Vault,
// reads the model, and runs the host and the app's storage clients.
param location string
param tags object
param environmentName string
param appName string
@allowed(['T4', 'A100'])
param gpu string
@minValue(1)
param maxReplicas int
param image string
param registryLoginServer string
param identityId string
param identityClientId string
param storageAccountName string
param generationQueue string
@description('The queue of BlobCreated events for batch JSONL uploads (the worker starts batches from it).')
param batchEventsQueue string
@description('The queue of BlobCreated events for logo-requests uploads (the worker starts logo runs from it).')
param logoEventsQueue string
param insightsConnectionString string
param topicEndpoint string
@description('Versionless Key Vault URI of the webhook secret; empty: webhooks off.')
param webhookSecretUri string
@description('Blob URL of the model folder (with its SHA256SUMS); empty: the image\'s shipped tiny-shapes model.')
param modelSourceUrl string
param sharedSettings object
param logAnalyticsId string

// Serverless GPU profiles and the whole machine each replica gets (Microsoft Learn, "Serverless GPUs in Azure
// Container Apps" and workload profile types).
var profiles = {
  T4: { type: 'Consumption-GPU-NC8as-T4', cpu: '8', memory: '56Gi' }
  A100: { type: 'Consumption-GPU-NC24-A100', cpu: '24', memory: '220Gi' }
}
var profile = profiles[gpu]
// The port the image's host listens on as a non-root user (ASPNETCORE_URLS in infra/worker/Dockerfile).
var port = 8080
var modelDir = '/models/current'
var fetchModel = !empty(modelSourceUrl)
var webhooks = !empty(webhookSecretUri)

resource environment 'Microsoft.App/managedEnvironments@2025-07-01' = {
  name: environmentName
  location: location
  tags: tags
  properties: {
    // Logs leave through the diagnostic setting below (Azure Monitor), so no workspace key is handed over.
    appLogsConfiguration: { destination: 'azure-monitor' }
    workloadProfiles: [
      { name: 'Consumption', workloadProfileType: 'Consumption' }
      { name: 'gpu', workloadProfileType: profile.type }
    ]
  }
}

// Newest diagnosticSettings version with categoryGroup (allLogs/audit); the only newer-dated alternative the linter offers
// is 2016-09-01, which predates category groups.
#disable-next-line use-recent-api-versions
resource environmentDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: environment
  properties: {
    workspaceId: logAnalyticsId
    logs: [{ categoryGroup: 'allLogs', enabled: true }]
    metrics: [{ category: 'AllMetrics', enabled: true }]
  }
}

var settings = union(sharedSettings, {
  FUNCTIONS_WORKER_RUNTIME: 'dotnet-isolated'
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  AZURE_CLIENT_ID: identityClientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: insightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  OTEL_SERVICE_NAME: 'dfx-worker'
  // A GPU-priced replica must never run on the CPU: without the CUDA provider the worker refuses to start.
  DiffusionFunctions__Engine__Provider: 'Cuda'
  DiffusionFunctions__Engine__RequireGpu: 'true'
  DiffusionFunctions__Worker__ModelPath: fetchModel ? modelDir : 'models/tiny-shapes'
  DiffusionFunctions__Events__TopicEndpoint: topicEndpoint
  DiffusionFunctions__Events__ManagedIdentityClientId: identityClientId
})

var env = concat(
  map(items(settings), s => { name: s.key, value: s.value }),
  webhooks ? [{ name: 'DiffusionFunctions__Events__WebhookSecret', secretRef: 'webhook-secret' }] : []
)

var modelVolumeMounts = fetchModel ? [{ volumeName: 'model', mountPath: '/models' }] : []

resource worker 'Microsoft.App/containerApps@2025-07-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': 'worker' })
  kind: 'functionapp'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    environmentId: environment.id
    workloadProfileName: 'gpu'
    configuration: {
      activeRevisionsMode: 'Single'
      // Functions on Container Apps needs ingress for the host's health and scaling; internal only, as the worker
      // has no HTTP functions.
      ingress: {
        external: false
        targetPort: port
        transport: 'auto'
        allowInsecure: false
      }
      registries: [{ server: registryLoginServer, identity: identityId }]
      secrets: webhooks ? [{ name: 'webhook-secret', keyVaultUrl: webhookSecretUri, identity: identityId }] : []
    }
    template: {
      // The model, when it comes from blob storage: downloaded and checked against SHA256SUMS before the worker starts
      // (infra/worker/fetch-model.sh, same image, so no extra pull).
      initContainers: fetchModel ? [
        {
          name: 'fetch-model'
          image: image
          command: ['/opt/dfx/fetch-model.sh']
          resources: { cpu: json('0.5'), memory: '1Gi' }
          env: [
            { name: 'MODEL_SOURCE_URL', value: modelSourceUrl }
            { name: 'MODEL_DIR', value: modelDir }
            { name: 'AZURE_CLIENT_ID', value: identityClientId }
          ]
          volumeMounts: modelVolumeMounts
        }
      ] : []
      containers: [
        {
          name: 'worker'
          image: image
          resources: { cpu: json(profile.cpu), memory: profile.memory }
          env: env
          volumeMounts: modelVolumeMounts
        }
      ]
      scale: {
        minReplicas: 0
        maxReplicas: maxReplicas
        // Scale from zero on the generation queue, one message per replica (host.json runs one job at a time). Written
        // out rather than left to the rule Functions on Container Apps derives from the trigger, because the trigger's
        // queue name is the binding expression %DiffusionFunctions:Storage:GenerationQueue%, which was reported to
        // break that derived rule; this rule names the queue itself and authenticates with the worker's identity.
        rules: [
          {
            name: 'generation-queue'
            custom: {
              type: 'azure-queue'
              metadata: {
                accountName: storageAccountName
                queueName: generationQueue
                queueLength: '1'
              }
              identity: identityId
            }
          }
          // A batch JSONL upload must wake a worker at zero replicas too: its event waits on this queue.
          {
            name: 'batch-requests-queue'
            custom: {
              type: 'azure-queue'
              metadata: {
                accountName: storageAccountName
                queueName: batchEventsQueue
                queueLength: '1'
              }
              identity: identityId
            }
          }
          // A logo upload must wake a worker at zero replicas too: its event waits on this queue.
          {
            name: 'logo-requests-queue'
            custom: {
              type: 'azure-queue'
              metadata: {
                accountName: storageAccountName
                queueName: logoEventsQueue
                queueLength: '1'
              }
              identity: identityId
            }
          }
        ]
      }
      volumes: fetchModel ? [{ name: 'model', storageType: 'EmptyDir' }] : []
    }
  }
}

output name string = worker.name
output environmentName string = environment.name
