// DiffusionFunctions on Azure: one storage account (no shared keys), one user-assigned identity, the HTTP API on
// Flex Consumption, the GPU worker as a Functions container on a Container Apps GPU workload profile, an Event Grid
// topic for job events, and least-privilege role assignments for the identity.
// Plain resources rather than AVM modules so the template deploys without registry access; same shape as the
// functions-quickstart-dotnet-azd template (user-assigned identity, allowSharedKeyAccess: false, roles in rbac.bicep).
targetScope = 'resourceGroup'

@description('Short lowercase prefix for resource names (3-11 letters/digits).')
@minLength(3)
@maxLength(11)
param namePrefix string = 'dfx'

@description('Location of every resource.')
param location string = resourceGroup().location

@description('Container image of the GPU worker (built from src/DiffusionFunctions.Worker).')
param workerImage string

@description('Container Apps GPU workload profile type for the worker.')
param workerGpuProfileType string = 'Consumption-GPU-NC8as-T4'

@description('Names shared by both apps (DiffusionFunctions:Storage:*).')
param jobsContainer string = 'jobs'
param inputsContainer string = 'inputs'
param resultsContainer string = 'results'
param generationQueue string = 'generation-requests'
param eventsQueue string = 'generation-events'

var suffix = uniqueString(resourceGroup().id, namePrefix)
var storageName = toLower('${namePrefix}st${suffix}')
var deploymentContainer = 'app-package-api'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${namePrefix}-id-${suffix}'
  location: location
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: take(storageName, 24)
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
    publicNetworkAccess: 'Enabled'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for name in [jobsContainer, inputsContainer, resultsContainer, deploymentContainer]: {
  parent: blobService
  name: name
  properties: { publicAccess: 'None' }
}]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [for name in [generationQueue, '${generationQueue}-poison', eventsQueue]: {
  parent: queueService
  name: name
}]

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${namePrefix}-log-${suffix}'
  location: location
  properties: { sku: { name: 'PerGB2018' }, retentionInDays: 30 }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${namePrefix}-appi-${suffix}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    DisableLocalAuth: true
  }
}

resource topic 'Microsoft.EventGrid/topics@2022-06-15' = {
  name: '${namePrefix}-evgt-${suffix}'
  location: location
  properties: {
    inputSchema: 'CloudEventSchemaV1_0'
    disableLocalAuth: true
  }
}

// Settings both apps share. AzureWebJobsStorage__* makes the Functions host and the app's SDK clients
// (AddDiffusionCore) use the user-assigned identity; there is no connection string and no key anywhere.
var sharedSettings = [
  { name: 'AzureWebJobsStorage__accountName', value: storage.name }
  { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
  { name: 'AzureWebJobsStorage__clientId', value: identity.properties.clientId }
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
  { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identity.properties.clientId};Authorization=AAD' }
  { name: 'DiffusionFunctions__Storage__JobsContainer', value: jobsContainer }
  { name: 'DiffusionFunctions__Storage__InputsContainer', value: inputsContainer }
  { name: 'DiffusionFunctions__Storage__ResultsContainer', value: resultsContainer }
  { name: 'DiffusionFunctions__Storage__GenerationQueue', value: generationQueue }
  { name: 'DiffusionFunctions__Storage__EventsQueue', value: eventsQueue }
  // Containers and queues are created above; the apps need no create rights at start-up.
  { name: 'DiffusionFunctions__Storage__CreateResourcesOnStartup', value: 'false' }
]

resource apiPlan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${namePrefix}-plan-api-${suffix}'
  location: location
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

resource api 'Microsoft.Web/sites@2024-04-01' = {
  name: '${namePrefix}-api-${suffix}'
  location: location
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: apiPlan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identity.id }
        }
      }
      scaleAndConcurrency: { maximumInstanceCount: 40, instanceMemoryMB: 2048 }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: sharedSettings
    }
  }
}

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: '${namePrefix}-cae-${suffix}'
  location: location
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: logs.properties.customerId
        sharedKey: logs.listKeys().primarySharedKey
      }
    }
    workloadProfiles: [
      { name: 'Consumption', workloadProfileType: 'Consumption' }
      { name: 'gpu', workloadProfileType: workerGpuProfileType }
    ]
  }
}

resource worker 'Microsoft.Web/sites@2024-04-01' = {
  name: '${namePrefix}-worker-${suffix}'
  location: location
  kind: 'functionapp,linux,container,azurecontainerapps'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    managedEnvironmentId: environment.id
    workloadProfileName: 'gpu'
    resourceConfig: { cpu: 8, memory: '56Gi' }
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'DOCKER|${workerImage}'
      acrUseManagedIdentityCreds: true
      acrUserManagedIdentityID: identity.properties.clientId
      appSettings: concat(sharedSettings, [
        { name: 'FUNCTIONS_WORKER_RUNTIME', value: 'dotnet-isolated' }
        { name: 'DiffusionFunctions__Events__TopicEndpoint', value: topic.properties.endpoint }
        { name: 'DiffusionFunctions__Events__ManagedIdentityClientId', value: identity.properties.clientId }
      ])
    }
  }
}

module rbac 'rbac.bicep' = {
  name: 'rbac'
  params: {
    principalId: identity.properties.principalId
    storageAccountName: storage.name
    topicName: topic.name
    insightsName: insights.name
  }
}

output apiName string = api.name
output apiUrl string = 'https://${api.properties.defaultHostName}/api'
output workerName string = worker.name
output storageAccountName string = storage.name
output identityClientId string = identity.properties.clientId
output eventGridTopicEndpoint string = topic.properties.endpoint
