// Function app #2, the GPU worker: Azure Functions on Azure Container Apps (Microsoft.App/containerApps with
// kind 'functionapp', the current hosting model) on a serverless GPU workload profile, scaling from zero on its model's
// queue. One such app per model (main.bicep's models parameter), all in one environment (workerEnvironment.bicep). The
// worker identity, shared by the worker apps, pulls the image (AcrPull), reads the webhook secret from Key Vault, reads
// the model, and runs the host and the app's storage clients.
param location string
param tags object
@description('The Container Apps environment (workerEnvironment.bicep) with its \'gpu\' workload profile.')
param environmentId string
param appName string
@description('vCPUs of the GPU profile\'s machine (the replica takes it whole).')
param cpu string
@description('Memory of the GPU profile\'s machine.')
param memory string
@minValue(1)
param maxReplicas int
@description('The model this app serves (DiffusionFunctions:Worker:ModelName); empty: a deployment with one model.')
param modelName string
@description('Tag the app for azd deploy (azd-service-name: worker): one app only, the default model\'s.')
param azdService bool
param image string
param registryLoginServer string
param identityId string
param identityClientId string
param storageAccountName string
@description('The queue this app reads: its model\'s.')
param generationQueue string
@description('The queue of BlobCreated events for batch JSONL uploads (this app starts batches from it); empty: this app does not (its StartBatchFromUpload function is disabled and no scale rule watches that queue). One app per deployment takes it, the default model\'s.')
param batchEventsQueue string
@description('The queue of BlobCreated events for logo-requests uploads (this app starts logo runs from it); empty: this app does not (its ProcessLogoUpload and AnswerPoisonedLogoUpload functions are disabled and no scale rule watches that queue). One app per deployment takes it, the default model\'s: logo jobs name no model and its folder may carry the logo template.')
param logoEventsQueue string
param insightsConnectionString string
param topicEndpoint string
@description('Versionless Key Vault URI of the webhook secret; empty: webhooks off.')
param webhookSecretUri string
@description('Blob URL of the model folder (with its SHA256SUMS); empty: the image\'s shipped tiny-shapes model.')
param modelSourceUrl string
param sharedSettings object

// The port the image's host listens on as a non-root user (ASPNETCORE_URLS in infra/worker/Dockerfile).
var port = 8080
var modelDir = '/models/current'
var fetchModel = !empty(modelSourceUrl)
var webhooks = !empty(webhookSecretUri)
var startsBatches = !empty(batchEventsQueue)
var startsLogos = !empty(logoEventsQueue)

// The apps that do not take uploads have the upload triggers disabled (the documented AzureWebJobs.<function>.Disabled).
var logoTriggersOff = {
  'AzureWebJobs.ProcessLogoUpload.Disabled': 'true'
  'AzureWebJobs.AnswerPoisonedLogoUpload.Disabled': 'true'
}
var settings = union(sharedSettings, empty(modelName) ? {} : { DiffusionFunctions__Worker__ModelName: modelName }, startsBatches ? {} : { 'AzureWebJobs.StartBatchFromUpload.Disabled': 'true' }, startsLogos ? {} : logoTriggersOff, {
  // Its model's queue, which the queue trigger (%DiffusionFunctions:Storage:GenerationQueue%) and the scale rule read.
  DiffusionFunctions__Storage__GenerationQueue: generationQueue
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

// Scale from zero on its model's queue, one message per replica (host.json runs one job at a time). Written out rather
// than left to the rule Functions on Container Apps derives from the trigger, because the trigger's queue name is the
// binding expression %DiffusionFunctions:Storage:GenerationQueue%, which was reported to break that derived rule; this
// rule names the queue itself and authenticates with the worker's identity.
var generationRule = {
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
// A batch JSONL upload must wake the app that starts batches at zero replicas too: its event waits on this queue.
var batchRule = {
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

// A logo upload must wake the app that starts logo runs at zero replicas too: its event waits on this queue.
var logoRule = {
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

var modelVolumeMounts = fetchModel ? [{ volumeName: 'model', mountPath: '/models' }] : []

resource worker 'Microsoft.App/containerApps@2025-07-01' = {
  name: appName
  location: location
  tags: azdService ? union(tags, { 'azd-service-name': 'worker' }) : tags
  kind: 'functionapp'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    environmentId: environmentId
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
          resources: { cpu: json(cpu), memory: memory }
          env: env
          volumeMounts: modelVolumeMounts
        }
      ]
      scale: {
        minReplicas: 0
        maxReplicas: maxReplicas
        // Its model's queue; the app that takes uploads (the default model's) also wakes on upload events.
        rules: concat([generationRule], startsBatches ? [batchRule] : [], startsLogos ? [logoRule] : [])
      }
      volumes: fetchModel ? [{ name: 'model', storageType: 'EmptyDir' }] : []
    }
  }
}

output name string = worker.name
